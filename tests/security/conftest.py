"""Shared by the security tests: a tally of what was checked, printed at the end of the run."""

import json
from collections import Counter
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
#: (model label, account, action) -> "refused" | "FAILED"; filled by the generated tests.
CHECKS = {}


@pytest.fixture
def tally():
    return CHECKS


def pytest_terminal_summary(terminalreporter):
    if not CHECKS:
        return
    outcomes = Counter(CHECKS.values())
    models = {model for model, _, _ in CHECKS}
    accounts = {account for _, account, _ in CHECKS}
    actions = {action for _, _, action in CHECKS}
    line = (
        f"unit isolation: {len(models)} models x {len(accounts)} accounts x "
        f"{len(actions)} actions = {len(CHECKS)} checks, {outcomes.get('refused', 0)} refused, "
        f"{outcomes.get('FAILED', 0)} failed"
    )
    terminalreporter.write_sep("-", line)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "security-counts.json").write_text(
        json.dumps(
            {
                "summary": line,
                "models": sorted(models),
                "accounts": sorted(accounts),
                "actions": sorted(actions),
                "failed": sorted(
                    "/".join(key) for key, outcome in CHECKS.items() if outcome == "FAILED"
                ),
            },
            ensure_ascii=False,
            indent=2,
        )
    )
