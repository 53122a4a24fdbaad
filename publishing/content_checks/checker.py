"""The checker itself: one pass of the automaton, the personal-data patterns and the links."""

from columns.models import SiteHost

from .lexicon import current_lexicon
from .links import blocked_link_finding, check_links, host_of, links_in_text
from .personal_data import find_personal_data
from .secret_markers import find_secret_markings


def platform_hosts():
    """The host names the platform's sites answer on: links there are internal."""
    return frozenset(SiteHost.objects.values_list("hostname", flat=True))


def _mail_domains(hosts):
    # www.example.gov.cn serves the site; its staff write from example.gov.cn.
    return tuple({host.removeprefix("www.") for host in hosts})


def check_text(text, *, hrefs=(), fetch_links=False, hosts=None, lexicon=None):
    """检查文本: every finding in text, ordered by position.

    Checks secret markings, internal-use markers and sensitive words (block), the
    wrong→right dictionary and the order of leaders' names (warn), personal data (block,
    masked) and links written out in the text against the blocked domains (block). hrefs
    are further links (e.g. from the HTML the text came from) to check too. fetch_links
    also tests whether internal pages exist and external links answer (warn); it is off
    by default because citizen messages' links must not be fetched blindly. lexicon: the
    lists as read once (current_lexicon()) for a scan of many texts; by default read now.
    """
    text = text or ""
    lexicon = lexicon or current_lexicon()
    hosts = platform_hosts() if hosts is None else hosts
    findings = lexicon.find(text)
    findings.extend(lexicon.find_leader_order(text))
    findings.extend(find_secret_markings(text))
    findings.extend(find_personal_data(text, government_domains=_mail_domains(hosts)))
    to_check = list(hrefs)
    for url, start, end in links_in_text(text):
        category = lexicon.blocked_category(host_of(url))
        if category is not None:
            findings.append(blocked_link_finding(url, category, start, end))
        elif fetch_links:
            to_check.append(url if "://" in url else "http://" + url)
    if to_check:
        findings.extend(
            check_links(to_check, lexicon=lexicon, internal_hosts=hosts, fetch=fetch_links)
        )
    findings.sort(key=lambda finding: (finding.source, finding.start, finding.rule))
    return findings
