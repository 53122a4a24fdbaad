"""The settings' one test switch (TESTING) comes from PORTAL_TESTING alone: importing pytest,
as any tool may, changes nothing in how the portal behaves [issue 19]."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
READ_SWITCH = (
    "import pytest, portal.settings as s; "
    "print(s.TESTING, s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[-1])"
)


def settings_seen_by(env):
    answer = subprocess.run(
        [sys.executable, "-c", READ_SWITCH],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return answer.stdout.split()


def test_the_test_run_sets_the_switch_before_the_settings_load():
    # pyproject.toml's pytest env: also when pytest is started without the Makefile.
    assert os.environ["PORTAL_TESTING"] == "1"
    assert settings.TESTING is True


def test_pytest_being_importable_does_not_switch_the_settings_to_testing():
    env = {k: v for k, v in os.environ.items() if k != "PORTAL_TESTING"}
    assert settings_seen_by(env) == ["False", "CompressedManifestStaticFilesStorage"]
    assert settings_seen_by({**env, "PORTAL_TESTING": "1"}) == ["True", "StaticFilesStorage"]
