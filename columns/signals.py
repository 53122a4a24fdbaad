"""Events of the platform's structure that higher apps react to with their own objects."""

from django.dispatch import Signal

#: Sent inside the handover transaction with unit, old_user, new_user and moved (a dict each
#: receiver adds its counts to, e.g. moved["drafts"] = 3), so the record says what moved.
liaison_handed_over = Signal()
