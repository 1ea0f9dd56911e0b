"""Length limits for free text, in the form and in the database.

A ``TextField``'s ``max_length`` only reaches the form (and its Dutch message); the check
constraint makes the database refuse a longer text whatever code writes it."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual


def text_length_check(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)
