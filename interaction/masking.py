"""个人信息遮蔽 — the public text of a message: what the content checker finds as personal data
(ID, mobile and bank card numbers, private e-mail addresses) and the citizen's own name, phone
and e-mail, masked, so that no published surface (pages, API, feeds, search) carries them.

The masked text is stored on the message when the exchange is published (public_subject,
public_content, public_reply); every public surface reads those fields and nothing else.
"""

import re

from publishing.content_checks.personal_data import mask_email, mask_found

from .models.mailbox import mask_name

#: A single character is no name worth masking: it would star every such character in the text.
MIN_NAME_LENGTH = 2


def mask_phone(phone):
    """13900001111 → 139****1111; separators kept, a short number starred whole."""
    digits = [i for i, char in enumerate(phone) if char.isalnum()]
    shown = set(digits[:3] + digits[-4:]) if len(digits) >= 8 else set()
    return "".join(
        char if i in shown or not char.isalnum() else "*" for i, char in enumerate(phone)
    )


def _own_values(name, phone, email):
    """(raw, masked) pairs of the citizen's own contact values, as typed and as digits only."""
    pairs = []
    name = (name or "").strip()
    if len(name) >= MIN_NAME_LENGTH:
        pairs.append((name, mask_name(name)))
    phone = (phone or "").strip()
    if phone:
        pairs.append((phone, mask_phone(phone)))
        digits = re.sub(r"\D", "", phone)
        if digits != phone and len(digits) >= 7:
            pairs.append((digits, mask_phone(digits)))
    email = (email or "").strip()
    if email:
        pairs.append((email, mask_email(email)))
    # Longest first, so that a value inside another (a name in an e-mail) is not masked first.
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def mask_personal_data(text, *, name="", phone="", email=""):
    """text with the checker's personal-data findings and the given contact values masked."""
    # The content checker's personal-data part (check_text runs the same): no word lists or
    # links are needed here, so masking reads no table and also runs inside a migration.
    text = mask_found(text)
    for raw, masked in _own_values(name, phone, email):
        text = re.sub(re.escape(raw), lambda _match, masked=masked: masked, text, flags=re.I)
    return text


def public_version(message):
    """The subject, question and reply of a message as the public will see them."""
    own = {"name": message.name, "phone": message.phone, "email": message.email}
    return {
        "subject": mask_personal_data(message.subject, **own),
        "content": mask_personal_data(message.content, **own),
        "reply": mask_personal_data(message.reply_body, **own),
    }


def store_public_text(message):
    """Set the message's public fields from its current text (saved by the caller)."""
    public = public_version(message)
    message.public_subject = public["subject"]
    message.public_content = public["content"]
    message.public_reply = public["reply"]
