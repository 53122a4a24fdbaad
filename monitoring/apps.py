from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_RECORDS = [
    "monitoring.view_columnfreshness",
    "monitoring.view_freshnesssnapshot",
    "monitoring.view_linkcheckrun",
    "monitoring.view_brokenlink",
    "monitoring.view_availabilityprobe",
    "monitoring.view_outage",
    "monitoring.view_patrolrecord",
    "monitoring.view_pagevisitday",
    "monitoring.view_pagefingerprint",
    "monitoring.view_tamperalert",
]


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    #: Inspectors and the operator read every record; the operator's duty officer writes the
    #: daily patrol. Unit staff reach their own part through the dashboard and their
    #: columns' freshness and broken links (scoped by unit in the admin).
    role_permissions = {
        "inspector": [*_RECORDS, "columns.view_operationlog"],
        "operator": [
            *_RECORDS,
            "monitoring.add_patrolrecord",
            "monitoring.change_patrolrecord",
            "columns.view_operationlog",
        ],
        "liaison": ["monitoring.view_columnfreshness", "monitoring.view_brokenlink"],
        "section_head": ["monitoring.view_columnfreshness", "monitoring.view_brokenlink"],
    }

    def ready(self):
        from columns import media

        from . import receivers  # noqa: F401
        from .inspections.models import SpecialSupervision, SpotCheckProblem

        # Inspection evidence is for the inspectors and the unit concerned only.
        media.register(SpotCheckProblem, "screenshot")
        media.register(SpecialSupervision, "self_examination")
