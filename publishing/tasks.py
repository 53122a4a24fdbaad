"""Celery tasks of publishing: thin wrappers around services, safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def publish_and_expire():
    """Every minute: publish scheduled items that are due, expire items past their expiry."""
    return {
        "published": services.publish_due_articles(),
        "expired": services.expire_due_articles(),
    }


@shared_task
def alert_publishing_deadlines():
    """Every minute: warn before an approved item's publishing deadline passes (once each)."""
    return services.alert_deadlines()


@shared_task
def check_article_links(article_id):
    """After an article is saved: fetch its external links and keep the full findings."""
    findings = services.check_links_after_save(article_id=article_id)
    return None if findings is None else len(findings)


@shared_task
def rescan_published_findings(version, after=0):
    """After the check lists change: the serious errors of what is online recomputed, one
    batch per task, each queueing the next; it stops once the lists change again."""
    following = services.rescan_published_findings(version=version, after=after)
    if following is not None:
        rescan_published_findings.delay(version, following)
    return following
