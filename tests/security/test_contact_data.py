"""Contact data through admin lookups (issue 15 item 3).

For every admin of a model with personal fields, each field × each lookup kind in the list's
query string, as the inspector (who reads messages and comments but may not see contact data):
refused with 400, nothing listed. Searching with ?q= never matches them for the inspector. The
roles that may see contact data filter and search by them, and each such read is logged.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from columns.models import OperationLog
from interaction import services
from interaction.models import DeadlineAlert, Message
from interaction.participation.models import (
    Consultation,
    ConsultationComment,
    Interview,
    InterviewQuestion,
)

from .reporting import print_summary

pytestmark = pytest.mark.django_db

MESSAGE = {
    "name": "司马相如",
    "phone": "13712345678",
    "email": "sima.xiangru@example.com",
    "submitter_ip": "10.9.8.7",
}
COMMENT = {
    "name": "诸葛孔明",
    "phone": "13698765432",
    "email": "zhuge.kongming@example.com",
    "ip_address": "10.9.8.6",
}
QUESTION = {"ip_address": "10.9.8.5"}


def lookups(value):
    """Each lookup kind with a value that matches the stored value (so a working filter
    would list the row)."""
    return {
        "exact": value,
        "iexact": value.upper(),
        "startswith": value[:3],
        "istartswith": value[:3],
        "endswith": value[-3:],
        "contains": value[2:5],
        "icontains": value[2:5],
        "regex": "^" + value[:3],
        "iregex": "^" + value[:3],
        "gt": value[:1],
        "gte": value[:1],
        "lt": value + "~",
        "in": value,
    }


#: (admin, field, lookup) -> "refused" / "LISTED (status)"
RESULTS = {}


@pytest.fixture(scope="module", autouse=True)
def _summary(request):
    yield
    if RESULTS:
        admins = {a for a, _f, _l in RESULTS}
        failed = sorted("/".join(k) for k, v in RESULTS.items() if v != "refused")
        print_summary(
            request,
            f"contact data lookups: {len(admins)} admin lists × their personal fields × "
            f"lookup kinds = {len(RESULTS)} inspector lookups, "
            f"{len(RESULTS) - len(failed)} refused, {len(failed)} failed"
            + (f" ({', '.join(failed[:10])})" if failed else ""),
        )


@pytest.fixture
def rows(demo, user_named):
    message, _password = services.submit_message(
        site=demo,
        kind="consultation",
        subject="咨询社保缴费",
        content="请问灵活就业人员如何缴纳社保？",
        name=MESSAGE["name"],
        phone=MESSAGE["phone"],
        email=MESSAGE["email"],
        ip=MESSAGE["submitter_ip"],
    )
    consultation = Consultation.objects.first()
    interview = Interview.objects.first()
    assert consultation is not None and interview is not None
    comment = ConsultationComment.objects.create(
        consultation=consultation, content="建议延长征集期限", **COMMENT
    )
    question = InterviewQuestion.objects.create(
        interview=interview, nickname="网友甲", content="请问何时开工？", **QUESTION
    )
    return {"message": message, "comment": comment, "question": question}


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_every_admin_of_a_model_with_personal_fields_is_guarded():
    from columns.personal_data_admin import PersonalDataAdminMixin, personal_fields_of

    guarded = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if personal_fields_of(model)
    }
    assert {"interaction.Message", "interaction.ConsultationComment"} <= guarded
    for model, model_admin in admin.site._registry.items():
        if personal_fields_of(model):
            assert isinstance(model_admin, PersonalDataAdminMixin), model._meta.label


CASES = [
    (Message, "", MESSAGE),
    (DeadlineAlert, "message__", MESSAGE),
    (ConsultationComment, "", COMMENT),
    (InterviewQuestion, "", QUESTION),
]


def test_inspector_cannot_filter_search_or_see_by_personal_fields(rows, login_as):
    inspector = login_as("inspector")
    problems = []
    for model, prefix, values in CASES:
        url = changelist(model)
        assert inspector.get(url).status_code == 200  # the inspector does read this list
        for field, value in values.items():
            for kind, argument in lookups(value).items():
                response = inspector.get(url, {f"{prefix}{field}__{kind}": argument})
                refused = response.status_code == 400 and value not in response.content.decode()
                RESULTS[(model._meta.model_name, field, kind)] = (
                    "refused" if refused else f"LISTED ({response.status_code})"
                )
                if not refused:
                    problems.append(f"{model._meta.model_name} {field}__{kind}")
    assert problems == []
    assert not OperationLog.objects.filter(action="personal_data_listed").exists()

    # Searching with ?q= never reaches contact data for the inspector; by subject it works.
    message = rows["message"]
    for value in (MESSAGE["phone"], MESSAGE["email"], MESSAGE["name"]):
        response = inspector.get(changelist(Message), {"q": value})
        assert response.status_code == 200
        assert message.tracking_code not in response.content.decode()
    found = inspector.get(changelist(Message), {"q": "社保缴费"})
    assert message.tracking_code in found.content.decode()
    for value in (COMMENT["phone"], COMMENT["email"], COMMENT["name"]):
        response = inspector.get(changelist(ConsultationComment), {"q": value})
        assert "建议延长征集期限" not in response.content.decode()

    # The list pages themselves show no contact data.
    for model, values in ((Message, MESSAGE), (ConsultationComment, COMMENT)):
        body = inspector.get(changelist(model)).content.decode()
        for value in values.values():
            assert value not in body, (model, value)


def _listed_log(user):
    return list(
        OperationLog.objects.filter(action="personal_data_listed", actor=user).values_list(
            "detail", flat=True
        )
    )


def test_dispatcher_filters_and_searches_by_contact_and_each_read_is_logged(
    rows, login_as, user_named
):
    dispatcher = login_as("dispatcher")
    message = rows["message"]
    plain = dispatcher.get(changelist(Message))
    assert plain.status_code == 200
    assert _listed_log(user_named("dispatcher")) == []  # an ordinary list is no contact read

    by_phone = dispatcher.get(changelist(Message), {"phone__startswith": "137123"})
    assert by_phone.status_code == 200 and message.tracking_code in by_phone.content.decode()
    by_search = dispatcher.get(changelist(Message), {"q": MESSAGE["phone"]})
    assert by_search.status_code == 200 and message.tracking_code in by_search.content.decode()

    logged = _listed_log(user_named("dispatcher"))
    assert {"model": "interaction.Message", "lookups": ["phone__startswith"], "search": False} in (
        logged
    )
    assert {"model": "interaction.Message", "lookups": [], "search": True} in logged
    # The values looked for are not copied into the log.
    assert all("137123" not in str(entry) for entry in logged)

    # Opening the message shows the contact data, and that view is logged too.
    page = dispatcher.get(reverse("admin:interaction_message_change", args=[message.pk]))
    assert MESSAGE["phone"] in page.content.decode()
    assert OperationLog.objects.filter(
        action="message_contact_viewed", actor=user_named("dispatcher"), target_id=str(message.pk)
    ).exists()


def test_operator_filters_comments_by_contact_and_it_is_logged(rows, login_as, user_named):
    response = login_as("operator").get(
        changelist(ConsultationComment), {"email__icontains": "zhuge"}
    )
    assert response.status_code == 200 and "建议延长征集期限" in response.content.decode()
    assert _listed_log(user_named("operator")) == [
        {
            "model": "interaction.ConsultationComment",
            "lookups": ["email__icontains"],
            "search": False,
        }
    ]
