from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from columns.apps import CASE_STAFF_ROLES

_UNIT_STAFF = [
    "disclosure.view_disclosurerequest",
    "disclosure.view_requestevent",
    "disclosure.view_requestattachment",
    "disclosure.view_requestdeadline",
    "disclosure.view_requestextension",
    "disclosure.view_thirdpartyconsultation",
    "disclosure.view_requestalert",
]


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Disclosure on request")

    #: Requests change only through the actions on their admin page (scoped by unit); the
    #: operator enters the reconsideration and litigation figures of the annual report.
    role_permissions = {
        **dict.fromkeys(CASE_STAFF_ROLES, _UNIT_STAFF),
        "operator": [
            "disclosure.add_appealcount",
            "disclosure.change_appealcount",
            "disclosure.view_appealcount",
        ],
    }

    def ready(self):
        from columns import media

        from .models import DisclosureRequest, RequestAttachment

        # The 告知书 is the applicant's: downloaded on the tracking page, or by the staff
        # whose admin shows the request; never from a public page.
        media.register(DisclosureRequest, "notice")
        media.register(RequestAttachment, "image", owner="request")
