"""The NCTB syllabus map: the mathematics chapters of classes 6-8 (src/content/syllabus.yaml).

Every library problem names one of these chapters (`chapter: "7.4"`); the validator refuses a problem
without one or with a chapter of another grade, and `dars content coverage` counts problems per chapter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SYLLABUS_PATH = Path(__file__).resolve().parent / "syllabus.yaml"

ChapterKey = Annotated[str, StringConstraints(strict=True, pattern=r"^[678]\.(1[0-9]|[1-9])$")]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: ChapterKey
    en: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=100)]
    bn: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=100)]
    checkable: Annotated[bool, Field(strict=True)]


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    grades: dict[int, list[_Entry]]


@dataclass(frozen=True, slots=True)
class Chapter:
    """One chapter of one class's textbook."""

    key: str  # "7.4"
    grade: int
    number: int
    en: str
    bn: str
    checkable: bool


def read_syllabus(path: Path = SYLLABUS_PATH) -> dict[str, Chapter]:
    """The chapters by key, in textbook order. Raises ValueError for a malformed map."""
    data = _File.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    chapters: dict[str, Chapter] = {}
    for grade, entries in sorted(data.grades.items()):
        for number, entry in enumerate(entries, start=1):
            if entry.key != f"{grade}.{number}":
                raise ValueError(f"chapter {entry.key!r} is listed as class {grade}'s chapter {number}")
            chapters[entry.key] = Chapter(entry.key, grade, number, entry.en, entry.bn, entry.checkable)
    return chapters


@cache
def syllabus() -> dict[str, Chapter]:
    """The repository's syllabus map (read once)."""
    return read_syllabus()


def chapters_of(grade: int) -> list[Chapter]:
    return [chapter for chapter in syllabus().values() if chapter.grade == grade]
