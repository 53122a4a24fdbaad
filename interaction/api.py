"""Read-only JSON of the mailbox for staff: their scoped list, without a citizen's name or
contact data. The public exchanges are in the open-data API (portal.api, /api/messages/)."""

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

from columns.passwords import PasswordCurrent
from columns.second_factor import SecondFactorVerified

from . import selectors, workflow
from .models import Message


class ActionSerializer(serializers.Serializer):
    """One action the requesting user may take (its name, its label, the fields it asks)."""

    name = serializers.CharField()
    label = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())


class StaffMessageSerializer(serializers.ModelSerializer):
    """What staff need to work through their messages; contact data stay in the admin."""

    unit = serializers.CharField(source="unit.name", default="")
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "tracking_code",
            "kind",
            "channel",
            "status",
            "subject",
            "unit",
            "received_at",
            "due_at",
            "deadline_version",
            "answered_at",
            "actions",
        ]

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, message):
        """What the requesting user may do to the message now, as the admin's buttons offer."""
        return [
            {"name": action.name, "label": str(action.label), "fields": list(action.fields)}
            for action in workflow.available_actions(message, self.context["request"].user)
        ]


class StaffScoped:
    """Session-authenticated, scoped by interaction.selectors.messages_for_user; not served
    by a public-only front end (PORTAL_ROLE=public)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated, SecondFactorVerified, PasswordCurrent]
    serializer_class = StaffMessageSerializer

    def initial(self, request, *args, **kwargs):
        if settings.PORTAL_ROLE == "public":
            raise Http404
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.by_urgency(selectors.messages_for_user(self.request.user))


class StaffMessageList(StaffScoped, generics.ListAPIView):
    """GET /interaction/api/staff/messages/ — the user's messages, most urgent first."""


class StaffMessageDetail(StaffScoped, generics.RetrieveAPIView):
    """GET /interaction/api/staff/messages/<id>/ — 404 for another unit's message."""
