"""Fixtures for disclosure requests: the mailbox's clock, captcha test mode and units, and a
factory that applies through the service."""

import pytest

from disclosure import services
from tests.interaction.conftest import (  # noqa: F401 (fixtures shared with the mailbox)
    _captcha_test_mode,
    clock,
)
from tests.interaction.conftest import unit_named as unit_named  # noqa: F401

#: A valid resident identity number (check character 2).
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def apply(demo):
    """apply(**fields) -> (request, password): an online application by a person."""

    def make(**fields):
        values = {
            "site": demo,
            "applicant_type": "person",
            "name": "王小明",
            "id_type": "id_card",
            "id_number": ID_NUMBER,
            "phone": "13900002222",
            "email": "wangxm@example.com",
            "description": "2024年示例区义务教育阶段学校布局调整方案",
            "delivery_form": "email",
        }
        values.update(fields)
        return services.submit_request(**values)

    return make


@pytest.fixture
def assigned(apply, unit_named):
    """assigned(unit="区教育局", **fields) -> a request the applicant addressed to the unit."""

    def make(unit="区教育局", **fields):
        request, _password = apply(unit=unit_named(unit), **fields)
        return request

    return make
