"""Events of publishing that search, caching and monitoring react to.

Both are sent after the transaction that changed the article commits, with article=.
"""

from django.dispatch import Signal

article_published = Signal()
article_withdrawn = Signal()
