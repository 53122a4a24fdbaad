"""The working-day calendar, the citizen mailbox, consultations, surveys and interviews."""
