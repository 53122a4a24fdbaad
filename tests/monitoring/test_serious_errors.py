"""严重错误 on the compliance dashboard: read from the findings stored when an item is
published (and again when the check lists change), never by checking every item online."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from monitoring.indicators import assess
from portal.celery import app as celery_app
from publishing import services
from publishing.content_checks import current_lexicon
from publishing.content_checks.lexicon import Lexicon
from publishing.models import Article, PublishedFinding, WordingCorrection
from publishing.models.checks import FindingRule

from .factories import make_column, publish_in
from .test_dashboard import DASHBOARD, dashboard_queries, item

pytestmark = pytest.mark.django_db


def serious(site):
    return item(assess(site), "serious_errors").outcome


def details(site, title):
    return [e.detail for e in serious(site).evidence if e.label == title]


def secret(match):
    return f"{FindingRule.SECRET_MARKER.label}: {match}"


def wording(match):
    return f"{FindingRule.WORDING.label}: {match}"


def user(username):
    return get_user_model().objects.get(username=username)


def republish_corrected(article, body):
    """The liaison withdraws the item, corrects it and has it reviewed and published again."""
    liaison = user("edu_liaison")
    article = services.withdraw(article=article, by=liaison, reason="更正")
    article.body = body
    article = services.save_article(article=article, by=liaison)
    run = services.submit(article=article, by=liaison)
    for reviewer in ("edu_head", "edu_deputy"):
        run.refresh_from_db()
        services.decide(run=run, step_index=run.current_index, by=user(reviewer), outcome="approve")
    article.refresh_from_db()
    return article


def test_a_secret_marker_shows_until_the_item_is_corrected_and_published_again(demo):
    article = publish_in(
        make_column(demo, "leaky"), title="预算执行情况", body="<p>本材料为内部资料。</p>"
    )
    assert details(demo, "预算执行情况") == [secret("内部资料")]
    assert serious(demo).triggered

    article = republish_corrected(article, "<p>本材料已公开。</p>")

    assert article.status == "published"
    assert details(demo, "预算执行情况") == []
    assert not PublishedFinding.objects.filter(article=article).exists()


def test_a_withdrawn_item_drops_out(demo):
    article = publish_in(make_column(demo, "leaky"), title="会议纪要", body="<p>不得外传。</p>")
    assert details(demo, "会议纪要") == [secret("不得外传")]

    services.withdraw(article=article, by=user("edu_liaison"), reason="含内部信息")

    assert details(demo, "会议纪要") == []
    assert not PublishedFinding.objects.filter(article=article).exists()


def test_an_expired_item_drops_out(demo):
    article = publish_in(make_column(demo, "leaky"), title="会议纪要", body="<p>不得外传。</p>")
    Article.objects.filter(pk=article.pk).update(expires_at=article.published_at)

    assert services.expire_due_articles() == 1

    assert details(demo, "会议纪要") == []


def test_a_new_dictionary_entry_finds_the_wrong_word_in_items_already_published(
    demo, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setattr(services, "RESCAN_BATCH", 2)
    column = make_column(demo, "notices")
    publish_in(column, title="通知一", body="<p>请各单位按时报送。</p>")
    publish_in(column, title="关于报送材料的通知", body="<p>请于月底前报峻。</p>")
    publish_in(column, title="通知三", body="<p>报峻一次。</p>")
    assert details(demo, "关于报送材料的通知") == []

    with django_capture_on_commit_callbacks(execute=True):
        WordingCorrection.objects.create(wrong="报峻", right="报送", kind="typo")

    # The rescan ran after the entry was committed, in batches of two, over every item.
    assert details(demo, "关于报送材料的通知") == [wording("报峻")]
    assert details(demo, "通知三") == [wording("报峻")]
    assert details(demo, "通知一") == []
    version = Article.objects.get(title="通知一").findings_version
    assert not Article.objects.filter(status="published").exclude(findings_version=version)
    # Started again (a lost task, the command): nothing is left to read.
    assert services.rescan_published_findings(version=version) is None


def test_a_rescan_for_lists_changed_since_does_nothing(demo):
    column = make_column(demo, "notices")
    article = publish_in(column, title="通知", body="<p>报峻。</p>")
    WordingCorrection.objects.create(wrong="报峻", right="报送", kind="typo")

    assert services.rescan_published_findings(version=article.findings_version) is None

    assert details(demo, "通知") == []


def test_the_dashboard_reads_findings_not_articles(demo, login_as, monkeypatch):
    inspector = login_as("inspector")
    column = make_column(demo, "many")
    publish_in(column, title="泄密信息", body="<p>内部资料。</p>")
    for number in range(10):
        publish_in(column, title=f"信息{number}")
    with_ten, _sites = dashboard_queries(inspector)
    for number in range(10, 200):
        publish_in(column, title=f"信息{number}")

    # The dashboard does not run the checker: what it shows was stored at publication.
    def no_scan(self, text):
        raise AssertionError("the dashboard checked an item's text")

    monkeypatch.setattr(Lexicon, "find", no_scan)
    with_two_hundred, _sites = dashboard_queries(inspector)

    assert with_two_hundred == with_ten
    response = inspector.get(DASHBOARD)
    assessment = next(a for a in response.context["assessments"] if a.site == demo)
    outcome = item(assessment, "serious_errors").outcome
    assert [e.detail for e in outcome.evidence if e.label == "泄密信息"] == [secret("内部资料")]


def test_the_command_fills_the_findings_of_items_published_before_they_were_stored(demo):
    article = publish_in(make_column(demo, "old"), title="旧信息", body="<p>内部使用。</p>")
    # As an installation has it before its first rescan: nothing stored, no version noted.
    PublishedFinding.objects.filter(article=article).delete()
    Article.objects.filter(status="published").update(findings_version=None)
    assert details(demo, "旧信息") == []
    out = StringIO()

    call_command("rescan_published_findings", stdout=out)

    assert details(demo, "旧信息") == [secret("内部使用")]
    published = Article.objects.filter(status="published").count()
    assert f" {published} " in out.getvalue()
    again = StringIO()
    call_command("rescan_published_findings", stdout=again)
    assert " 0 " in again.getvalue()


def test_the_approved_text_put_back_after_tampering_is_what_the_dashboard_checks(demo):
    article = publish_in(make_column(demo, "tampered"), title="公告", body="<p>公告正文。</p>")
    approved = article.revisions.order_by("-number").first()
    # Arranged: the body changed behind the review, then a change of the lists rescanned it.
    Article.objects.filter(pk=article.pk).update(body="<p>内部资料。</p>")
    WordingCorrection.objects.create(wrong="报峻", right="报送", kind="typo")
    version = current_lexicon().version
    assert services.rescan_published_findings(version=version) is not None
    assert details(demo, "公告") == [secret("内部资料")]

    services.restore_approved_body(article=article, revision=approved)

    assert details(demo, "公告") == []
