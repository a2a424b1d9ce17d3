"""The problem library as typed objects: YAML files under src/content/problems, read strictly.

The file format is described in docs/teachers-guide.md. Reading never raises on a bad file: every problem
the schema rejects becomes a `Fault` naming the file and the problem id, so one run reports everything.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from src.answers.kinds import AnswerKind, Form

DEFAULT_LIBRARY_PATH = Path(__file__).resolve().parent / "problems"

# Stripped so that YAML block scalars (`|`) do not store a trailing newline; lengths follow the table.
Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]
ShortText = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=100)
]
AnswerText = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=500)
]
# Strict: YAML turns `answer: 0.50` into the float 0.5 and `id: "7031"` stays a string; both are mistakes
# a teacher should hear about rather than have silently coerced.
StrictInt = Annotated[int, Field(strict=True)]


@dataclass(frozen=True, slots=True)
class Fault:
    """One thing wrong with the library, located by file and (when known) problem id."""

    file: Path
    problem_id: int | None
    rule: str
    message: str

    def format(self, root: Path | None = None) -> str:
        shown = self.file
        if root is not None and self.file.is_relative_to(root):
            shown = self.file.relative_to(root)
        where = f"{shown}:{self.problem_id}" if self.problem_id is not None else f"{shown}"
        return f"{where}: {self.rule}: {self.message}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HintEntry(_Strict):
    """One rung of the hint ladder, in both languages."""

    en: Text
    bn: Text


MisconceptionId = Annotated[
    str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_]*$", min_length=2, max_length=64)
]


class MistakeEntry(_Strict):
    """A problem's common wrong answer: what the misconception computes, and a nudge naming it."""

    misconception: MisconceptionId
    wrong: Text  # computed by code, like `solution`
    nudge_en: Annotated[
        str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=200)
    ]
    nudge_bn: Annotated[
        str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=200)
    ]


# A chapter of src/content/syllabus.yaml, "7.4"; in quotes in YAML (7.10 unquoted would read as 7.1).
ChapterText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=10)]


class ProblemEntry(_Strict):
    """A problem as written in a file (grade and topic come from the file; chapter too, unless given)."""

    id: StrictInt
    chapter: ChapterText | None = None
    subtopic: ShortText | None = None
    # Ranges of difficulty and hint count are validator rules, not schema, so they get their own names.
    difficulty: StrictInt
    estimated_time_minutes: Annotated[int, Field(strict=True, ge=1, le=60)] = 5
    answer_kind: AnswerKind
    answer: AnswerText
    solution: Text
    question_en: Text
    question_bn: Text
    hints: list[HintEntry]
    form: Form | None = None  # how the answer must be written (docs/teachers-guide.md)
    mistakes: list[MistakeEntry] = []


class ProblemFile(_Strict):
    """One YAML file: a grade, a topic, and its problems."""

    grade: StrictInt
    topic: ShortText
    chapter: ChapterText | None = None  # the chapter of every problem that names none of its own
    problems: Annotated[list[dict[str, Any]], Field(min_length=1)]


class LibraryProblem(_Strict):
    """A problem with the file it came from: what the validator checks and the loader stores."""

    file: Path
    grade: int
    topic: str
    chapter: str | None  # None only in a file the validator refuses (rule `chapter`)
    id: int
    subtopic: str | None
    difficulty: int
    estimated_time_minutes: int
    answer_kind: AnswerKind
    answer: str
    solution: str
    question_en: str
    question_bn: str
    hints: tuple[HintEntry, ...]
    form: Form | None = None
    mistakes: tuple[MistakeEntry, ...] = ()

    @classmethod
    def from_entry(
        cls, file: Path, grade: int, topic: str, entry: ProblemEntry, chapter: str | None = None
    ) -> LibraryProblem:
        return cls(
            file=file,
            grade=grade,
            topic=topic,
            chapter=entry.chapter if entry.chapter is not None else chapter,
            **entry.model_dump(exclude={"hints", "mistakes", "chapter"}),
            hints=tuple(entry.hints),
            mistakes=tuple(entry.mistakes),
        )


@dataclass(frozen=True, slots=True)
class ReadResult:
    problems: list[LibraryProblem]
    faults: list[Fault]


class LibraryError(Exception):
    """The library has faults and cannot be used; the message lists them."""

    def __init__(self, faults: Sequence[Fault]) -> None:
        self.faults = list(faults)
        lines = [fault.format() for fault in self.faults[:50]]
        if len(self.faults) > 50:
            lines.append(f"... and {len(self.faults) - 50} more")
        super().__init__(f"{len(self.faults)} fault(s) in the problem library:\n" + "\n".join(lines))


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with a repeated key (plain YAML keeps the last one silently)."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Hashable, Any]:
    seen: set[Hashable] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_unique_mapping,
)


def library_files(root: Path) -> list[Path]:
    """The problem files under root, in a stable order (root/retired.yaml is the list of retired ids)."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.suffix in {".yaml", ".yml"} and p.is_file() and p != root / "retired.yaml"
    )


def _describe(error: ValidationError) -> Iterator[str]:
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"]) or "(file)"
        yield f"{location}: {item['msg']}"


def read_file(path: Path) -> ReadResult:
    """Read one problem file into problems and the faults that kept any of them out."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return ReadResult([], [Fault(path, None, "yaml", str(exc).replace("\n", " "))])
    try:
        header = ProblemFile.model_validate(data)
    except ValidationError as exc:
        return ReadResult([], [Fault(path, None, "schema", msg) for msg in _describe(exc)])

    problems: list[LibraryProblem] = []
    faults: list[Fault] = []
    for index, raw in enumerate(header.problems):
        raw_id = raw.get("id")
        problem_id = raw_id if isinstance(raw_id, int) and not isinstance(raw_id, bool) else None
        try:
            entry = ProblemEntry.model_validate(raw)
        except ValidationError as exc:
            label = "" if problem_id is not None else f"problems[{index}]: "
            faults.extend(Fault(path, problem_id, "schema", label + msg) for msg in _describe(exc))
            continue
        problems.append(LibraryProblem.from_entry(path, header.grade, header.topic, entry, header.chapter))
    return ReadResult(problems, faults)


def read_library(root: Path | None = None) -> ReadResult:
    """Read every problem file under root (default: the repository's library)."""
    root = DEFAULT_LIBRARY_PATH if root is None else root
    if not root.is_dir():
        return ReadResult([], [Fault(root, None, "yaml", "no such directory")])
    problems: list[LibraryProblem] = []
    faults: list[Fault] = []
    for path in library_files(root):
        result = read_file(path)
        problems.extend(result.problems)
        faults.extend(result.faults)
    return ReadResult(problems, faults)
