"""The platform's apps in dependency order, and their optional per-app modules."""

import importlib

PLATFORM_APPS = (
    "columns",
    "publishing",
    "interaction",
    "disclosure",
    "monitoring",
    "portal",
    "staticsite",
)


def optional_modules(module_name):
    """Yield `<app>.<module_name>` for each platform app that has it, bottom app first."""
    for app in PLATFORM_APPS:
        dotted = f"{app}.{module_name}"
        try:
            yield importlib.import_module(dotted)
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
