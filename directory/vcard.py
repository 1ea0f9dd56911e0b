"""The who's who as vCard 4.0 (RFC 6350): one .vcf with one card per person.

Text values are escaped as section 3.4 asks (backslash, comma, semicolon and line breaks),
lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character. Phone
numbers go out as ``tel:`` URIs (``tel_uri``), the same ones the page links to. The role is
written in the current language.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from .models import Participant


def escape(text: str) -> str:
    """A vCard TEXT value: ``\\`` ``,`` ``;`` and line breaks escaped."""
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return re.sub(r"\r\n|\r|\n", "\\\\n", text)


def tel_uri(phone: str) -> str | None:
    """``078-770 12 34`` -> ``tel:+31787701234``: a Dutch number (leading 0) gets +31, an
    international one (00 or +) keeps its country code. None without digits."""
    digits = re.sub(r"[^\d+]", "", phone)
    plus = digits.startswith("+")
    digits = digits.replace("+", "")
    if not digits:
        return None
    if plus:
        return f"tel:+{digits}"
    if digits.startswith("00"):
        return f"tel:+{digits[2:]}"
    if digits.startswith("0"):
        return f"tel:+31{digits[1:]}"
    return f"tel:{digits}"


def fold(line: str) -> str:
    """Fold a content line at 75 octets (continuations start with one space)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # the leading space counts
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def card(participant: Participant) -> str:
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "KIND:individual",
        f"FN:{escape(participant.name)}",
        f"ORG:{escape(participant.organisation.name)}",
        f"ROLE:{escape(str(participant.get_table_role_display()))}",
    ]
    if participant.email:
        lines.append(f"EMAIL;TYPE=work:{escape(participant.email)}")
    if uri := tel_uri(participant.phone):
        lines.append(f"TEL;VALUE=uri;TYPE=work:{uri}")
    lines.append(f"UID:urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'participant:{participant.pk}')}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def vcards(participants: Iterable[Participant]) -> str:
    return "".join(card(p) for p in participants)
