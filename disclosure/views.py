"""Public pages of 依申请公开: what it is, the application form, tracking, the 告知书 download.

None of them shows the applicant's name, identity or contact data.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from interaction.views import submit_case, track_case, tracked_case

from . import notices, selectors, services, workflow
from .forms import ApplicationForm, ClarificationForm
from .models import RequestStatus

JUST_SUBMITTED = "disclosure:just-submitted"
TRACKED = "disclosure:tracked"


def index(request):
    """依申请公开 — how to apply, the time limits, and the links to apply and track."""
    return render(request, "disclosure/index.html", {"nav": "index"})


@never_cache
def apply(request):
    """网上申请 — the application form."""
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        submitted = submit_case(
            request,
            form,
            services.submit_request,
            just_submitted=JUST_SUBMITTED,
            session_key=TRACKED,
            done_url="disclosure:done",
        )
        if submitted:
            return submitted
    return render(request, "disclosure/apply.html", {"form": form, "nav": "apply"})


@never_cache
def done(request):
    """The tracking code and query password, shown this once."""
    shown = request.session.pop(JUST_SUBMITTED, None)
    if shown is None:
        return redirect("disclosure:track")
    application = _tracked(request)
    return render(
        request,
        "disclosure/done.html",
        {"code": shown[0], "password": shown[1], "application": application},
    )


@never_cache
def track(request):
    """查询申请 — the tracking code and the query password, both needed."""
    return track_case(
        request,
        track=services.track,
        session_key=TRACKED,
        status_url="disclosure:track_status",
        template="disclosure/track.html",
    )


def _tracked(request):
    return tracked_case(request, TRACKED, selectors.tracked_request)


@never_cache
def track_status(request, clarification_form=None):
    """Where the request stands, its deadline, and once answered the reply and the 告知书."""
    application = _tracked(request)
    answered = application.status in workflow.ANSWERED_STATES
    context = {
        "application": application,
        "events": selectors.applicant_timeline(application),
        "answered": answered,
        "reply": notices.paragraphs(application)[2:] if answered else None,
    }
    if application.status == RequestStatus.CLARIFICATION:
        context["question"] = selectors.open_question(application)
        context["clarification_form"] = clarification_form or ClarificationForm()
    return render(request, "disclosure/track_status.html", context)


@require_POST
def clarify(request):
    """补正 from the tracking page."""
    application = _tracked(request)
    form = ClarificationForm(request.POST)
    if form.is_valid():
        try:
            services.supply_clarification(request=application, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("disclosure:track_status")
    return track_status(request, clarification_form=form)


@never_cache
def notice(request):
    """The 告知书 of the tracked request, as approved and kept."""
    application = _tracked(request)
    if application.status not in workflow.ANSWERED_STATES or not application.notice:
        raise Http404
    return FileResponse(
        application.notice.open("rb"),
        as_attachment=True,
        filename=f"{application.tracking_code}.docx",
    )
