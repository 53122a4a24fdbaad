from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: The roles that see a unit's cases (messages, disclosure requests) and their records, and
#: change them only through the actions on their pages: the apps holding cases give each of
#: them the same view permissions in their role_permissions.
CASE_STAFF_ROLES = (
    "dispatcher",
    "liaison",
    "section_head",
    "deputy_leader",
    "principal_leader",
    "inspector",
)


class ColumnsConfig(AppConfig):
    name = "columns"
    verbose_name = _("Sites, columns and platform kernel")

    #: Model permissions each role's group gets (least privilege [Q§17]); every app of the
    #: platform may declare the same attribute for its own models, and
    #: columns.services.sync_role_groups() merges them all.
    role_permissions = {
        "operator": [
            "columns.add_site",
            "columns.change_site",
            "columns.view_site",
            "columns.add_sitehost",
            "columns.change_sitehost",
            "columns.delete_sitehost",
            "columns.view_sitehost",
            "columns.add_offlinewindow",
            "columns.change_offlinewindow",
            "columns.view_offlinewindow",
            "columns.add_unit",
            "columns.change_unit",
            "columns.view_unit",
            "columns.add_staffprofile",
            "columns.change_staffprofile",
            "columns.view_staffprofile",
            "auth.add_user",
            "auth.change_user",
            "auth.view_user",
            "columns.view_passwordresetrecord",
            "columns.view_handoverrecord",
            "columns.add_column",
            "columns.change_column",
            "columns.delete_column",
            "columns.view_column",
            "columns.view_categoryupdaterule",
            "columns.change_categoryupdaterule",
            "columns.view_columnobjection",
            "columns.view_specialtopicrequest",
        ],
        "inspector": [
            "columns.view_site",
            "columns.view_unit",
            "columns.view_column",
            "columns.view_categoryupdaterule",
        ],
        "dispatcher": ["columns.view_unit"],
        "liaison": [
            "columns.view_column",
            "columns.add_columnobjection",
            "columns.view_columnobjection",
            "columns.add_specialtopicrequest",
            "columns.view_specialtopicrequest",
        ],
        "section_head": [
            "columns.view_column",
            "columns.view_columnobjection",
            "columns.view_specialtopicrequest",
        ],
        "deputy_leader": ["columns.view_column"],
        "principal_leader": ["columns.view_column"],
        "secrecy_officer": ["columns.view_column"],
        "opinion_leader": ["columns.view_column"],
    }

    def ready(self):
        from . import media, receivers  # noqa: F401
        from .models import Site

        # A site's logo is on every one of its public pages.
        media.register(Site, "logo", public=Site.objects.all)
