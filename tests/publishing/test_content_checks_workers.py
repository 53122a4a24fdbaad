"""The automaton is cached per process and rebuilt when another worker changes the lists:
a real second process (manage.py) edits the dictionary against the same PostgreSQL database
and Redis cache, and this process's next check uses the change."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from publishing.content_checks import check_text
from publishing.content_checks.lexicon import current_lexicon

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
        reason="workers share a lexicon version only through PostgreSQL and Redis",
    ),
    pytest.mark.django_db(transaction=True),
]


def in_another_worker(code):
    """Run code in a separate Django process on this test database and the same Redis."""
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_a_dictionary_change_in_another_worker_reaches_this_one(demo):
    assert check_text("请各单位认真学习该文件精伸") == []
    built = current_lexicon()
    assert current_lexicon() is built  # checks in between reuse the built automaton

    in_another_worker(
        "from publishing.models import WordingCorrection; "
        "WordingCorrection.objects.create(wrong='文件精伸', right='文件精神', kind='typo')"
    )

    [finding] = check_text("请各单位认真学习该文件精伸")
    assert (finding.rule, finding.match) == ("wording", "文件精伸")
    assert "文件精神" in finding.suggestion
    assert current_lexicon() is not built
