from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_REVIEWER = [
    "publishing.view_article",
    "publishing.view_attachment",
    "publishing.view_articlerevision",
    "publishing.view_reviewrun",
    "publishing.view_reviewdecision",
]


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("Publishing")

    #: Least privilege [Q§17]: liaisons write and publish their unit's articles; reviewers
    #: read them and decide through the review actions; the operator configures chains and
    #: orders headlines; nobody may change or delete a review decision.
    role_permissions = {
        "liaison": [
            "publishing.add_article",
            "publishing.change_article",
            "publishing.add_attachment",
            "publishing.change_attachment",
            "publishing.delete_attachment",
            *_REVIEWER,
        ],
        "section_head": _REVIEWER,
        "deputy_leader": _REVIEWER,
        "principal_leader": _REVIEWER,
        "secrecy_officer": _REVIEWER,
        "opinion_leader": _REVIEWER,
        "operator": [
            "publishing.change_article",
            "publishing.add_reviewchain",
            "publishing.change_reviewchain",
            "publishing.view_reviewchain",
            "publishing.add_reviewstep",
            "publishing.change_reviewstep",
            "publishing.delete_reviewstep",
            "publishing.view_reviewstep",
            "publishing.add_headlinedirective",
            "publishing.view_headlinedirective",
            *_REVIEWER,
        ],
        "inspector": [*_REVIEWER, "publishing.view_headlinedirective"],
    }

    def ready(self):
        from . import receivers  # noqa: F401
