"""Public pages of the mailbox: write a message, track it, the published list and statistics.

None of them ever shows a citizen's name or contact data.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from columns.client_address import client_address
from publishing import page_tags
from publishing.views import BadRequest, bad_request, page_number

from . import selectors, services
from .forms import MessageForm, RatingForm, ReopenForm, SupplyInfoForm, TrackForm
from .models import Channel, MessageKind, MessageStatus, Rating

#: Session keys: the code and password shown once after submission; the message a visitor
#: has proven (by code and password) they may follow.
JUST_SUBMITTED = "interaction:just-submitted"
TRACKED = "interaction:tracked"


#: Exchanges per page of the public list.
MESSAGE_PAGE_SIZE = 20


def message_list(request):
    """公开留言 and 留言统计: published exchanges, and figures by month and unit."""
    page_tags.depend(request, page_tags.messages(request.site.pk))
    paginator = Paginator(selectors.published_messages(request.site), MESSAGE_PAGE_SIZE)
    try:
        page = page_number(request, paginator)
    except BadRequest as exc:
        return bad_request(request, str(exc))
    return render(
        request,
        "interaction/message_list.html",
        {"page": page, "statistics": selectors.statistics(request.site), "nav": "list"},
    )


def message_detail(request, pk):
    """One published exchange: question, 受理日期, 答复日期, 答复部门, 答复内容."""
    page_tags.depend(request, page_tags.message(pk))
    message = selectors.published_messages(request.site).filter(pk=pk).first()
    if message is None:
        raise Http404
    return render(request, "interaction/message_detail.html", {"message": message})


@never_cache
def message_new(request):
    """写留言 — 「我为政府网站找错」 opens this with ?type=site_error&url=<the page's path>."""
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            submitted = submit_case(
                request,
                form,
                lambda unit, **fields: services.submit_message(requested_unit=unit, **fields),
                just_submitted=JUST_SUBMITTED,
                session_key=TRACKED,
                done_url="interaction:message_done",
            )
            if submitted:
                return submitted
    else:
        initial = {}
        if request.GET.get("type") in MessageKind.values:
            initial["kind"] = request.GET["type"]
        if request.GET.get("channel") in Channel.values:
            initial["channel"] = request.GET["channel"]
        if request.GET.get("unit", "").isdigit():
            initial["unit"] = request.GET["unit"]
            initial.setdefault("channel", Channel.UNIT)
        page_path = request.GET.get("url", "")
        # 找错 passes the page's path alone: a query string kept here would nest on every visit.
        if page_path.startswith("/") and not page_path.startswith("//"):
            initial["page_url"] = request.build_absolute_uri(page_path.split("?")[0])[:500]
        form = MessageForm(initial=initial)
    return render(request, "interaction/message_form.html", {"form": form, "nav": "new"})


def submit_case(request, form, submit, *, just_submitted, session_key, done_url):
    """提交 — the valid form's fields (the captcha aside) go to submit with the site and the
    client's address; the tracking code and query password it returns are kept for the done
    page to show once, and the case is remembered for its status page (tracked_case). Returns
    the redirect to done_url, or None with the service's refusal added to the form."""
    fields = {name: value for name, value in form.cleaned_data.items() if name != "captcha"}
    try:
        case, password = submit(site=request.site, ip=client_address(request), **fields)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    request.session[just_submitted] = [case.tracking_code, password]
    request.session[session_key] = case.pk
    return redirect(done_url)


@never_cache
def message_done(request):
    """The tracking code and query password, shown this once (the password is kept hashed)."""
    shown = request.session.pop(JUST_SUBMITTED, None)
    if shown is None:
        return redirect("interaction:track")
    return render(
        request, "interaction/message_done.html", {"code": shown[0], "password": shown[1]}
    )


@never_cache
def track(request):
    """查询留言 — asks for both the tracking code and the query password."""
    return track_case(
        request,
        track=services.track,
        session_key=TRACKED,
        status_url="interaction:track_status",
        template="interaction/track.html",
    )


def track_case(request, *, track, session_key, status_url, template):
    """查询 — a citizen opens their own case (a message here, a request in disclosure) with
    its tracking code and query password, both needed; the case found is remembered in the
    session for its status page (tracked_case)."""
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = track(
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
                ip=client_address(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session[session_key] = case.pk
            return redirect(status_url)
    return render(request, template, {"form": form, "nav": "track"})


def tracked_case(request, session_key, find):
    """The case track_case remembered, as find(site, pk) reads it on this site; else 404."""
    pk = request.session.get(session_key)
    case = find(request.site, pk) if pk else None
    if case is None:
        raise Http404
    return case


def _tracked(request):
    return tracked_case(request, TRACKED, selectors.tracked_message)


@never_cache
def track_status(request, forms=None):
    """Where the tracked message stands, its reply, and what the citizen may do now."""
    message = _tracked(request)
    forms = forms or {}
    context = {
        "message": message,
        "events": selectors.citizen_timeline(message),
        "today": timezone.localdate(),
    }
    if message.status == MessageStatus.ANSWERED:
        context["rating_form"] = forms.get("rate") or RatingForm()
    if (
        message.status == MessageStatus.RATED
        and message.rating == Rating.UNSATISFIED
        and message.reopened_at is None
    ):
        context["reopen_form"] = forms.get("reopen") or ReopenForm()
    if message.status == MessageStatus.AWAITING_INFO:
        context["question"] = selectors.open_question(message)
        context["supply_form"] = forms.get("supply") or SupplyInfoForm()
    return render(request, "interaction/track_status.html", context)


@require_POST
def track_act(request, action):
    """The citizen's actions on their tracked message: rate, reopen, supply information."""
    message = _tracked(request)
    form_class, call = {
        "rate": (RatingForm, lambda d: services.rate(message=message, **d)),
        "reopen": (ReopenForm, lambda d: services.reopen(message=message, **d)),
        "supply": (SupplyInfoForm, lambda d: services.supply_info(message=message, **d)),
    }.get(action, (None, None))
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("interaction:track_status")
    return track_status(request, forms={action: form})


@never_cache
def calendar_health(request):
    """日历健康检查 as JSON: 503 when this year's holidays are unknown."""
    health = services.calendar_health()
    health["years"] = {str(year): source for year, source in health["years"].items()}
    return JsonResponse(health, status=503 if health["status"] == "error" else 200)
