"""Interaction's reactions to events of the platform's structure."""

from django.dispatch import receiver

from columns.signals import liaison_handed_over

from .services.handling import hand_over_messages


@receiver(liaison_handed_over)
def _move_message_assignments(sender, unit, old_user, new_user, moved, **kwargs):
    moved.update(hand_over_messages(unit=unit, old_user=old_user, new_user=new_user))
