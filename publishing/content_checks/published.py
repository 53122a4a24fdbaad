"""严重错误 of what is online: the secret markers and wording errors in published articles,
stored as PublishedFinding rows when an article is published and again, a batch at a time,
when the check lists change; the compliance dashboard reads the rows, not the articles."""

from ..models import Article, ArticleStatus, PublishedFinding
from ..sanitising import reader_text
from .checker import check_text
from .findings import Rule
from .lexicon import current_lexicon

#: The findings that are serious errors (严重错误) once published.
SERIOUS_RULES = frozenset({Rule.SECRET_MARKER, Rule.WORDING})
#: Articles read and rewritten per step of a rescan.
RESCAN_BATCH = 500


def serious_findings(article, lexicon):
    """The secret markers and wording errors in the article's title and body as readers see
    them, in the order of the text."""
    text = f"{article.title}\n{reader_text(article.body)}"
    return [
        finding
        for finding in check_text(text, hosts=(), lexicon=lexicon)
        if finding.rule in SERIOUS_RULES
    ]


def store_published_findings(articles, lexicon):
    """Replace the findings of articles (published ones) with those lexicon finds now, and
    note its version on them: four queries however many articles."""
    ids = [article.pk for article in articles]
    PublishedFinding.objects.filter(article_id__in=ids).delete()
    PublishedFinding.objects.bulk_create(
        PublishedFinding(
            article_id=article.pk, position=position, rule=finding.rule, match=finding.match[:500]
        )
        for article in articles
        for position, finding in enumerate(serious_findings(article, lexicon))
    )
    Article.objects.filter(pk__in=ids).update(findings_version=lexicon.version)


def record_published_findings(article):
    """Keep the article's findings in step with its status: computed when it is published,
    none once it is withdrawn or expired (its text can change only then)."""
    if article.status == ArticleStatus.PUBLISHED:
        store_published_findings([article], current_lexicon())
    else:
        PublishedFinding.objects.filter(article=article).delete()


def stale_published_articles(version):
    """Published articles whose findings were not computed against version, by id."""
    return (
        Article.objects.filter(status=ArticleStatus.PUBLISHED)
        .exclude(findings_version=version)
        .order_by("pk")
    )
