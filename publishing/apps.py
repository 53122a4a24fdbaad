from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_REVIEWER = [
    "publishing.view_article",
    "publishing.view_attachment",
    "publishing.view_articlerevision",
    "publishing.view_reviewrun",
    "publishing.view_reviewdecision",
]

#: 办事服务 items are kept by the unit's liaison (scoped to its columns) and the operator.
_SERVICE_EDITOR = [
    f"publishing.{action}_{model}"
    for model in ("serviceitem", "servicematerial", "servicedocument")
    for action in ("add", "change", "delete", "view")
]

#: A leader of the unit approves its 办事服务 items for publication (publishing.service_items).
_SERVICE_APPROVER = [
    f"publishing.view_{model}" for model in ("serviceitem", "servicematerial", "servicedocument")
]

#: 内容检查词库 — sensitive words, the wording dictionary, leaders' names and blocked domains:
#: the operator's.
_CHECK_LIST_EDITOR = [
    f"publishing.{action}_{model}"
    for model in ("sensitiveword", "wordingcorrection", "leadername", "blockeddomain")
    for action in ("add", "change", "delete", "view")
]


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("Publishing")

    #: Least privilege [Q§17]: liaisons write and publish their unit's articles; reviewers
    #: read them and decide through the review actions; the operator configures chains and
    #: orders headlines; nobody may change or delete a review decision.
    role_permissions = {
        "liaison": [
            *_SERVICE_EDITOR,
            "publishing.add_article",
            "publishing.change_article",
            "publishing.add_attachment",
            "publishing.change_attachment",
            "publishing.delete_attachment",
            *_REVIEWER,
        ],
        "section_head": [*_REVIEWER, *_SERVICE_APPROVER],
        "deputy_leader": [*_REVIEWER, *_SERVICE_APPROVER],
        "principal_leader": [*_REVIEWER, *_SERVICE_APPROVER],
        "secrecy_officer": _REVIEWER,
        "opinion_leader": _REVIEWER,
        "operator": [
            *_SERVICE_EDITOR,
            *_CHECK_LIST_EDITOR,
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
        from columns import media

        from . import receivers, service_item_admin  # noqa: F401
        from .models import Article, Attachment, ServiceDocument, ServiceItem
        from .selectors import published_articles

        # Public while the article is (not withdrawn, not expired); drafts' files are staff's.
        media.register(Article, "cover_image", public=published_articles)
        media.register(Attachment, "file", owner="article", public=published_articles)
        media.register(
            ServiceDocument,
            "file",
            owner="item",
            public=lambda: ServiceItem.objects.filter(is_published=True),
        )
