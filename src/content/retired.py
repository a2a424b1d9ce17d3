"""Retired problem ids: the library's list (retired.yaml beside the grade folders), read strictly.

A problem that moves grade gets a new id and its old id is retired: the `problems` row stays for the
responses that point at it, no new session chooses it (`retired_problems`, written by the loader), and
the validator refuses a library problem that uses a retired id, so an id is never reused.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from src.content.library import Fault, LibraryProblem

RETIRED_FILE = "retired.yaml"


class Retirement(BaseModel):
    """One retired id: what took its place (a new id in another grade), if anything, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[int, Field(strict=True)]
    replaced_by: Annotated[int, Field(strict=True)] | None = None
    reason: Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]


class _RetiredFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    retired: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class RetiredRead:
    retired: list[Retirement]
    faults: list[Fault]


def read_retired(root: Path) -> RetiredRead:
    """The retired ids listed in root/retired.yaml (none when the file is absent)."""
    path = root / RETIRED_FILE
    if not path.is_file():
        return RetiredRead([], [])
    try:
        header = _RetiredFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return RetiredRead([], [Fault(path, None, "yaml", str(exc).replace("\n", " "))])
    except ValidationError as exc:
        return RetiredRead([], [Fault(path, None, "retired", str(exc).replace("\n", " "))])
    retired: list[Retirement] = []
    faults: list[Fault] = []
    for index, raw in enumerate(header.retired):
        try:
            retired.append(Retirement.model_validate(raw))
        except ValidationError as exc:
            message = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            faults.append(Fault(path, None, "retired", f"retired[{index}]: {message}"))
    return RetiredRead(retired, faults)


def retired_faults(
    problems: Sequence[LibraryProblem], retired: Sequence[Retirement], path: Path
) -> Iterator[Fault]:
    """A retired id used again by a library problem, listed twice, or replaced by an id not in the library."""
    by_id = {problem.id: problem for problem in problems}
    seen: set[int] = set()
    for entry in retired:
        if entry.id in seen:
            yield Fault(path, entry.id, "retired", "listed twice")
        seen.add(entry.id)
        reused = by_id.get(entry.id)
        if reused is not None:
            message = "id is retired and is never reused: take the next free id"
            yield Fault(reused.file, reused.id, "id-retired", message)
        if entry.replaced_by is not None and entry.replaced_by not in by_id:
            yield Fault(path, entry.id, "retired", f"replaced_by {entry.replaced_by} is not in the library")
