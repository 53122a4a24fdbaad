#!/bin/sh
# 验证码语音 — the captcha's sum read aloud in Mandarin, for people who cannot see the picture.
# django-simple-captcha runs CAPTCHA_FLITE_PATH as `<this> -t TEXT -o FILE.wav`, with "-" and "+"
# already spelt "minus"/"plus"; flite speaks only English, so espeak-ng's Mandarin voice reads
# "2×6=" as "2 乘 6 等于几".
while [ $# -gt 0 ]; do
  case "$1" in
    -t) text=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    *) shift ;;
  esac
done
spoken=$(printf '%s' "$text" | sed -e 's/×/乘/g; s/times/乘/g; s/minus/减/g; s/plus/加/g; s/=$/等于几/')
exec espeak-ng -v cmn -s 120 -w "$out" "$spoken"
