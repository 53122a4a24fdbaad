"""告知书 — the reply notice: each reply type's text and legal ground as data, the annual
report row it counts in, and the .docx written from them when the reply is approved.

The citations are the regulation's own words (《中华人民共和国政府信息公开条例》, 国务院令第711号)
and stay Chinese whatever the interface language, as they appear in the document.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interaction.working_days import local_date

from .models import ReplyType as T
from .models import WithholdingGround as G

REGULATION = "《中华人民共和国政府信息公开条例》"


@dataclass(frozen=True)
class ReplyRule:
    """What a reply type says, on which article, and where the annual report counts it:
    report is (section, row) of the 年报's 本年度办理结果."""

    article: str
    text: object
    report: tuple
    needs_ground: bool = False
    needs_competent_body: bool = False


REPLY_RULES = {
    T.DISCLOSED: ReplyRule(
        "第三十六条第（二）项",
        gettext_lazy(
            "The information you asked for may be disclosed and is provided to you in the "
            "form you chose."
        ),
        ("disclosed", ""),
    ),
    T.ALREADY_PUBLIC: ReplyRule(
        "第三十六条第（一）项",
        gettext_lazy(
            "The information you asked for has already been disclosed on our own initiative; "
            "where and how to obtain it is set out below."
        ),
        ("disclosed", ""),
    ),
    T.PARTIAL: ReplyRule(
        "第三十七条",
        gettext_lazy(
            "The information you asked for contains parts that may not be disclosed but can be "
            "separated: the parts that may be disclosed are provided to you; the rest is "
            "withheld on the ground below."
        ),
        ("partial", ""),
        needs_ground=True,
    ),
    T.WITHHELD: ReplyRule(
        "第三十六条第（三）项",
        gettext_lazy("The information you asked for is not disclosed, on the ground below."),
        ("withheld", ""),
        needs_ground=True,
    ),
    T.NOT_HELD: ReplyRule(
        "第三十六条第（四）项",
        gettext_lazy(
            "After a search, this authority holds no such information: the government "
            "information you asked for does not exist."
        ),
        ("unavailable", "not_held"),
    ),
    T.NOT_RESPONSIBLE: ReplyRule(
        "第三十六条第（五）项",
        gettext_lazy(
            "The information you asked for is not this authority's to disclose. The authority "
            "responsible for disclosing it is named below; please apply there."
        ),
        ("unavailable", "not_held"),
        needs_competent_body=True,
    ),
    T.NEEDS_CREATION: ReplyRule(
        "第三十八条",
        gettext_lazy(
            "The information would have to be newly made by processing or analysing existing "
            "information, which this authority is not required to provide."
        ),
        ("unavailable", "needs_creation"),
    ),
    T.STILL_UNCLEAR: ReplyRule(
        "第三十条",
        gettext_lazy(
            "Even after your clarification the request does not describe the information "
            "clearly enough to find it."
        ),
        ("unavailable", "still_unclear"),
    ),
    T.DUPLICATE: ReplyRule(
        "第三十六条第（六）项",
        gettext_lazy(
            "This authority has already answered your request for the same information; the "
            "repeated request is not handled again."
        ),
        ("not_processed", "duplicate"),
    ),
    T.PETITION: ReplyRule(
        "第三十九条第一款",
        gettext_lazy(
            "Your application is a petition, complaint or report and is not handled as a "
            "request for government information; please use the channels for those."
        ),
        ("not_processed", "petition"),
    ),
    T.PUBLICATION: ReplyRule(
        "第三十九条第二款",
        gettext_lazy(
            "You ask for a publication (gazette, periodical or book); where to obtain it is "
            "set out below."
        ),
        ("not_processed", "publication"),
    ),
    T.NOT_GOVERNMENT_INFO: ReplyRule(
        "第二条",
        gettext_lazy(
            "What you asked for is not government information within the meaning of the "
            "regulation, so it is outside the scope of disclosure."
        ),
        ("other", "other"),
    ),
}

#: Each withholding ground's article, cited in the 告知书 of 不予公开 and 部分公开.
GROUND_ARTICLES = {
    G.STATE_SECRET: "第十四条",
    G.PROHIBITED_BY_LAW: "第十四条",
    G.SECURITY: "第十四条",
    G.THIRD_PARTY: "第十五条",
    G.INTERNAL_AFFAIRS: "第十六条第一款",
    G.PROCESS_INFORMATION: "第十六条第二款",
    G.ENFORCEMENT_FILE: "第十六条第二款",
    G.SPECIAL_QUERY: "第三十六条第（七）项",
}


def check_reply(*, reply_type, ground, competent_body):
    """Refuse a reply without what its type requires; returns the type's rule."""
    rule = REPLY_RULES.get(reply_type)
    if rule is None:
        raise ValidationError(_("Choose the type of reply."))
    if rule.needs_ground and ground not in GROUND_ARTICLES:
        raise ValidationError(
            _("A reply that withholds information must give its legal ground; choose one.")
        )
    if not rule.needs_ground and ground:
        raise ValidationError(_("Only a reply that withholds information has a legal ground."))
    if rule.needs_competent_body and not competent_body:
        raise ValidationError(
            _("Name the authority responsible for disclosing the information, with its contact.")
        )
    return rule


def citation(request):
    """The articles the 告知书 relies on, e.g. 《…条例》第三十七条、第十六条第二款."""
    rule = REPLY_RULES[request.reply_type]
    articles = [rule.article]
    if request.withholding_ground:
        articles.append(GROUND_ARTICLES[request.withholding_ground])
    return REGULATION + "、".join(articles)


def paragraphs(request):
    """The 告知书's text, paragraph by paragraph (also shown on the tracking page)."""
    rule = REPLY_RULES[request.reply_type]
    received = local_date(request.received_at)
    lines = [
        _("Applicant: %(name)s") % {"name": request.name},
        _(
            "On %(day)s this authority received your request for government information "
            "(tracking code %(code)s): %(description)s"
        )
        % {
            "day": f"{received:%Y-%m-%d}",
            "code": request.tracking_code,
            "description": request.description,
        },
        _("In accordance with %(citation)s, we reply as follows: %(text)s")
        % {"citation": citation(request), "text": rule.text},
    ]
    if request.withholding_ground:
        lines.append(
            _("Legal ground: %(ground)s (%(article)s).")
            % {
                "ground": request.get_withholding_ground_display(),
                "article": REGULATION + GROUND_ARTICLES[request.withholding_ground],
            }
        )
    if request.competent_body:
        lines.append(_("Responsible authority: %(body)s") % {"body": request.competent_body})
    if request.reply_body:
        lines.append(request.reply_body)
    if request.fee_amount:
        lines.append(
            _("Information processing fee: %(amount)s yuan (%(reason)s).")
            % {"amount": request.fee_amount, "reason": request.fee_reason}
        )
    else:
        lines.append(_("No fee is charged for this reply."))
    lines.append(
        _(
            "If you disagree with this reply, you may apply for administrative reconsideration "
            "within 60 days of receiving it, or bring an administrative lawsuit within 6 months."
        )
    )
    return lines


def notice_title(request):
    return _("Reply notice on a request for government information disclosure")


def write_notice(request):
    """The 告知书 as a .docx (name, content); the caller stores it on the request."""
    import docx  # noqa: PLC0415 (heavy; only needed when a reply is approved)

    document = docx.Document()
    document.add_heading(notice_title(request), level=1)
    document.add_paragraph(f"{request.unit} · {request.tracking_code}")
    for line in paragraphs(request):
        document.add_paragraph(line)
    answered = local_date(request.answered_at)
    document.add_paragraph(f"{request.unit}\n{answered:%Y-%m-%d}")
    buffer = io.BytesIO()
    document.save(buffer)
    return f"{request.tracking_code}.docx", ContentFile(buffer.getvalue())
