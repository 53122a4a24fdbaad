"""Settings of the server the uncached-page figure is measured on: the production settings
with the public page cache's store a DummyCache, so that every request renders its page from
the database. A query string no longer makes a miss: the page cache answers parameters a
page does not read from the page's entry (portal.caching)."""

from portal.settings import *  # noqa: F403

CACHES["pages"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}  # noqa: F405
