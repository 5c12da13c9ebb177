"""Test data: a fixed clock and the confirm effect the engine emits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from dialogs.events import CreateSubmission, StoredDocument

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def confirm(key: str = "conv-1:confirm:1", reference: str = "XJ-2026-000001", **changes: Any) -> CreateSubmission:
    """The effect the engine emits when the applicant confirms."""
    effect = CreateSubmission(
        key=key,
        reference=reference,
        program="xj-aid-talent-2023b2",
        track="flexible",
        applicant={"name": "阿依古丽", "phone": "13912345678", "employer": "喀什第一中学"},
        facts={"age": 40, "region": "xinjiang", "born": "1985-05-03"},
        verdict="eligible",
        documents=(
            StoredDocument("id_card", "0" * 32 + ".pdf", "身份证.pdf", "application/pdf", 1234, "a" * 64),
            StoredDocument("degree", "1" * 32 + ".jpg", "degree.jpg", "image/jpeg", 99, "b" * 64),
        ),
    )
    return replace(effect, **changes)
