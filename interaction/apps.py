from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from columns.apps import CASE_STAFF_ROLES

from .participation.roles import with_participation

_UNIT_STAFF = [
    "interaction.view_message",
    "interaction.view_messageimage",
    "interaction.view_messageevent",
    "interaction.view_deadlinechange",
    "interaction.view_extensionrequest",
    "interaction.view_deadlinealert",
]


class InteractionConfig(AppConfig):
    name = "interaction"
    verbose_name = _("Interaction")

    #: Least privilege [Q§17]: messages change only through the actions on their page, so
    #: staff get view permissions on them and their records (scoped by unit); the operator
    #: keeps the working-day calendar and the sites' mailbox policies.
    role_permissions = {
        **dict.fromkeys(CASE_STAFF_ROLES, _UNIT_STAFF),
        "operator": [
            "interaction.add_workingdayoverride",
            "interaction.change_workingdayoverride",
            "interaction.delete_workingdayoverride",
            "interaction.view_workingdayoverride",
            "interaction.add_calendaryear",
            "interaction.change_calendaryear",
            "interaction.view_calendaryear",
            "interaction.add_mailboxpolicy",
            "interaction.change_mailboxpolicy",
            "interaction.view_mailboxpolicy",
        ],
    }

    role_permissions = with_participation(role_permissions)

    def ready(self):
        from columns import media

        from . import receivers  # noqa: F401
        from .models import MessageImage
        from .participation.models import Guest, Interview

        # A citizen's pictures are never shown on a public page, even of a published message.
        media.register(MessageImage, "image", owner="message")
        media.register(
            Guest,
            "photo",
            owner="interview",
            public=lambda: Interview.objects.filter(published_at__isnull=False),
        )
