"""The citizens' captcha (验证码): a sum drawn large, another on request, read aloud in Mandarin,
and still drawn from the worker's pool so showing a form writes no row."""

import io
import operator
import os
import re
import shutil
import wave

import pytest
from captcha.models import CaptchaStore
from django.conf import settings
from PIL import Image

from interaction.captcha_pool import refill_captcha_pool

pytestmark = pytest.mark.django_db

FORM = "/interaction/messages/new/"


def shown_key(html):
    return re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)


@pytest.fixture
def pool(settings):
    settings.CAPTCHA_POOL_SIZE = 3
    CaptchaStore.objects.all().delete()
    refill_captcha_pool()


def test_the_form_shows_a_pooled_sum_with_a_labelled_answer_that_solving_sends(client, pool):
    rows = CaptchaStore.objects.count()
    html = client.get(FORM).content.decode()
    assert CaptchaStore.objects.count() == rows  # the GET wrote nothing
    store = CaptchaStore.objects.get(hashkey=shown_key(html))
    assert re.fullmatch(r"\d+[+×-]\d+=", store.challenge)
    left, sign, right = re.fullmatch(r"(\d+)([+×-])(\d+)=", store.challenge).groups()
    worked = {"+": operator.add, "-": operator.sub, "×": operator.mul}[sign](int(left), int(right))
    assert store.response == str(worked)
    assert '<label for="id_captcha_1"' in html
    assert re.search(r'<input type="text" name="captcha_1" inputmode="numeric"', html)
    assert 'class="captcha-refresh"' in html and "data-refresh-url=" in html

    from tests.interaction.test_submission import form_data

    response = client.post(FORM, form_data(captcha_0=store.hashkey, captcha_1=store.response))
    assert response.status_code == 302
    assert not CaptchaStore.objects.filter(hashkey=store.hashkey).exists()  # used once


def test_the_picture_is_large_and_plain(client, pool):
    key = shown_key(client.get(FORM).content.decode())
    picture = Image.open(io.BytesIO(client.get(f"/captcha/image/{key}/").content)).convert("L")
    assert picture.size == (200, 64)
    # Only ink and paper: no arcs, dots or smoothing greys making the digits hard to read.
    grey = sum(count for value, count in enumerate(picture.histogram()) if 60 < value < 200)
    assert grey / (200 * 64) < 0.05
    # No double-size variant: at the fixed size it would be cropped to half a sum.
    assert client.get(f"/captcha/image/{key}@2/").status_code == 404


@pytest.mark.skipif(
    not shutil.which("espeak-ng") and os.environ.get("CI") != "true",
    reason="espeak-ng not installed: captcha audio untested (CI installs it)",
)
def test_the_sum_is_read_aloud(client, pool):
    html = client.get(FORM).content.decode()
    key = shown_key(html)
    assert f'<audio controls preload="none" src="/captcha/audio/{key}.wav"' in html
    response = client.get(f"/captcha/audio/{key}.wav")
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    sound = wave.open(io.BytesIO(b"".join(response.streaming_content)))
    assert sound.getnframes() / sound.getframerate() > 1.0  # words, not an empty file
    assert settings.CAPTCHA_FLITE_PATH.endswith("captcha_speech.sh")
