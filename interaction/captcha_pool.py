"""验证码池 — the captchas citizens' forms show are drawn from a pool the worker keeps filled,
so showing a form writes nothing: an anonymous visitor's GET costs no database row.

django-simple-captcha's pool mode (CAPTCHA_GET_FROM_POOL) picks an unexpired entry; each
entry is deleted at its first attempt, right or wrong, so a solved one cannot be replayed.
"""

from datetime import timedelta

from captcha.models import CaptchaStore
from django.conf import settings
from django.utils import timezone


def refill_captcha_pool():
    """Drop expired captchas and top the pool up to CAPTCHA_POOL_SIZE entries that are still
    good for CAPTCHA_GET_FROM_POOL_TIMEOUT minutes; returns how many were added."""
    CaptchaStore.remove_expired()
    usable_from = timezone.now() + timedelta(minutes=settings.CAPTCHA_GET_FROM_POOL_TIMEOUT)
    usable = CaptchaStore.objects.filter(expiration__gt=usable_from).count()
    missing = max(0, settings.CAPTCHA_POOL_SIZE - usable)
    if missing:
        CaptchaStore.create_pool(missing)
    return missing
