"""Notices: the personas with e-mail addresses (Fien keeps hers too; Wim of Woonbron and Gwen
of GroenWest are the corporations that must never hear of Trivire's nominations)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader


@pytest.fixture
def addressed(world):
    for user in (
        world.coordinator,
        world.officer,
        world.corporation,
        world.other_corporation,
        world.partner,
        world.finance,
        world.outsider,
        world.outsider_corporation,
    ):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return world


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
