"""Each reply type yields its 告知书 citing its article (and the withholding ground's), approved
by the section head of the holding unit, kept as a .docx on the request; a reply missing what
its type needs is refused with nothing changed."""

import re

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from disclosure import services
from disclosure.models import ReplyType, RequestStatus
from disclosure.notices import GROUND_ARTICLES, REPLY_RULES

pytestmark = pytest.mark.django_db

GROUND_FOR = {ReplyType.PARTIAL: "third_party", ReplyType.WITHHELD: "process"}


def notice_text(request):
    with request.notice.open("rb") as stored:
        return "\n".join(p.text for p in docx.Document(stored).paragraphs)


@pytest.mark.parametrize("reply_type", ReplyType.values)
def test_each_reply_type_produces_its_notice(reply_type, assigned, user_named):
    request = assigned()
    ground = GROUND_FOR.get(reply_type, "")
    services.draft_reply(
        request=request,
        by=user_named("edu_liaison"),
        reply_type=reply_type,
        ground=ground,
        competent_body="区住房和城乡建设局（电话 0851-88880001）"
        if reply_type == ReplyType.NOT_RESPONSIBLE
        else "",
    )
    services.approve_reply(request=request, by=user_named("edu_head"))
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.notice.name.endswith(".docx")
    text = notice_text(request)
    assert "《中华人民共和国政府信息公开条例》" + REPLY_RULES[reply_type].article in text
    assert str(REPLY_RULES[reply_type].text) in text
    assert request.tracking_code in text
    if ground:
        assert GROUND_ARTICLES[ground] in text
    if reply_type == ReplyType.NOT_RESPONSIBLE:
        assert "区住房和城乡建设局" in text


NEEDS_GROUND = "A reply that withholds information must give its legal ground; choose one."


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reply_type": "withheld"}, NEEDS_GROUND),
        ({"reply_type": "partial"}, NEEDS_GROUND),
        (
            {"reply_type": "disclosed", "ground": "process"},
            "Only a reply that withholds information has a legal ground.",
        ),
        (
            {"reply_type": "not_responsible"},
            "Name the authority responsible for disclosing the information, with its contact.",
        ),
        ({"reply_type": ""}, "Choose the type of reply."),
        (
            {"reply_type": "disclosed", "fee_amount": 50},
            "A processing fee is charged only when requests clearly exceed a reasonable range "
            "(Art. 42): say why.",
        ),
    ],
)
def test_incomplete_reply_is_refused_and_nothing_changes(fields, message, assigned, user_named):
    request = assigned()
    with pytest.raises(ValidationError, match=re.escape(gettext(message))):
        services.draft_reply(request=request, by=user_named("edu_liaison"), **fields)
    request.refresh_from_db()
    assert request.status == RequestStatus.ASSIGNED and request.reply_type == ""
    assert not request.events.filter(action="draft_reply").exists()


def test_fee_is_recorded_when_charged(assigned, user_named):
    request = assigned()
    services.draft_reply(
        request=request,
        by=user_named("edu_liaison"),
        reply_type="disclosed",
        fee_amount=100,
        fee_reason="一年内申请逾300件，超出合理范围",
    )
    services.approve_reply(request=request, by=user_named("edu_head"))
    request.refresh_from_db()
    assert request.fee_amount == 100 and "100" in notice_text(request)


def test_only_the_units_section_head_approves_and_not_the_drafter(assigned, user_named):
    request = assigned()
    services.draft_reply(request=request, by=user_named("edu_liaison"), reply_type="not_held")
    for outsider in ("edu_liaison", "fin_head", "dispatcher"):
        with pytest.raises(PermissionDenied):
            services.approve_reply(request=request, by=user_named(outsider))
    request.refresh_from_db()
    assert request.status == RequestStatus.REPLY_DRAFTED and not request.notice
