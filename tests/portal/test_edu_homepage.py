"""The demo's edu sub-site (a flat column tree) lists its news and notices on its homepage."""

import pytest
from django.test import Client

from columns.models import Site
from publishing.selectors import public_articles_in

pytestmark = pytest.mark.django_db


def test_edu_homepage_shows_its_news_and_notices(demo):
    edu = Site.objects.get(site_code="5201020002")
    response = Client(HTTP_HOST="edu.localhost").get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for slug in ("news", "notices"):
        column = edu.columns.get(slug=slug)
        latest = public_articles_in(column).first()
        assert latest is not None
        assert column.name in html and latest.get_absolute_url() in html
    # Entry categories keep their own blocks: 招生入学 is a service column, not a list.
    assert 'id="section-' + str(edu.columns.get(slug="enrolment").pk) not in html
