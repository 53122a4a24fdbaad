"""The layer rule of README's layout: each app imports only the apps below it.

columns ← publishing ← interaction ← disclosure ← monitoring ← portal ← staticsite, as
portal.platform_apps lists them. Every import statement of every module counts, those inside
functions too; a new app of the project must be given its place there before its imports
are accepted.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "columns",
    "publishing",
    "interaction",
    "disclosure",
    "monitoring",
    "portal",
    "staticsite",
]


def imported_apps(source):
    """The project apps an absolute import of source names, with the line it is on."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                yield top, node.lineno


def upward_imports(app, path, source):
    rank = LAYERS.index(app)
    return [
        f"{path.relative_to(ROOT)}:{line} imports {other}"
        for other, line in imported_apps(source)
        if LAYERS.index(other) > rank
    ]


def test_settings_list_every_project_app_in_its_layer_order():
    project_apps = [
        name for name in settings.INSTALLED_APPS if (ROOT / name / "__init__.py").exists()
    ]
    assert project_apps == LAYERS


def test_no_app_imports_an_app_above_it():
    found = []
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            found += upward_imports(app, path, path.read_text(encoding="utf-8"))
    assert found == []


def test_the_check_sees_an_upward_import_even_inside_a_function():
    source = "from . import models\nimport columns.models\ndef f():\n    from portal import views\n"
    path = ROOT / "publishing" / "example.py"
    assert upward_imports("publishing", path, source) == ["publishing/example.py:4 imports portal"]
