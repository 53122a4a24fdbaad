"""分办: the dispatcher chooses the unit; the page preselects none, not even the one the
writer addressed (it is named beside the picker)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def route_select(html):
    return re.search(r'<select id="route-unit"[^>]*>(.*?)</select>', html, re.S)


@pytest.mark.parametrize("addressed", [None, "区财政局"])
def test_route_picker_preselects_no_unit(login_as, submit, unit_named, addressed):
    fields = {"requested_unit": unit_named(addressed)} if addressed else {}
    message, _password = submit(subject="待分办的留言", **fields)
    html = login_as("dispatcher").get(f"/admin/interaction/message/{message.pk}/change/")
    html = html.content.decode()
    select = route_select(html)
    assert select is not None
    assert "selected" not in select.group(1)
    assert re.match(r'<option value="">', select.group(1))
    assert 'id="route-unit" name="unit" required' in html
    if addressed:
        assert re.search(r'id="route-unit-requested">[^<]*区财政局', html)
