"""Publishing's reactions to events of the platform's structure."""

from django.dispatch import receiver

from columns.signals import liaison_handed_over

from .services import hand_over_articles


@receiver(liaison_handed_over)
def _move_open_articles(sender, unit, old_user, new_user, moved, **kwargs):
    # Review duties move with the roles themselves; only authorship is per person.
    moved.update(hand_over_articles(unit=unit, old_user=old_user, new_user=new_user))
