"""The validator's rules, one function per concern, each yielding (rule, message) or Faults.

Rule names are what teachers see (`path:id: rule: message`) and what docs/teachers-guide.md explains.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from fractions import Fraction

import sympy

from src.answers import check as marking
from src.answers.canonical import CanonicalAnswerError, parse_canonical, values_equal
from src.answers.check import Verdict, infer_kind
from src.answers.kinds import LIBRARY_FORMS, AnswerKind, Form
from src.content.library import Fault, LibraryProblem
from src.content.reveal import find_reveal
from src.content.solutions import SolutionError, evaluate_solution
from src.content.syllabus import syllabus
from src.content.topics import TOPICS_BN

GRADES = (6, 7, 8)
DIFFICULTIES = (1, 2, 3)
HINT_COUNT = 3

Finding = tuple[str, str]  # (rule, message)

_BENGALI_LETTER = re.compile(r"[\u0980-\u09e5\u09f0-\u09f2\u09f4-\u09ff]")  # the block minus digits and ৳
_BENGALI_DIGIT = re.compile(r"[০-৯]")
_ASCII_DIGIT = re.compile(r"[0-9]")
_LATIN_RUN = re.compile(r"[A-Za-z]+")
_CARET = re.compile(r"\^")
# Latin words that slip into Bengali text: units and abbreviations that have Bengali spellings.
_UNITS = ("cm", "mm", "km", "kg", "gm", "mg", "ml", "tk", "rs", "sq", "hr", "min", "sec")
_LATIN_WORDS_IN_BENGALI = frozenset(
    {*_UNITS, "hcf", "lcm", "gcd", "the", "and", "of", "is", "in", "to", "per"}
)
_BARE_NUMBER = re.compile(r"\s*-?\d+(\.\d+)?\s*")


def _snippet(text: str, match: re.Match[str]) -> str:
    start, end = max(match.start() - 12, 0), min(match.end() + 12, len(text))
    return f"…{text[start:end]}…" if (start or end < len(text)) else text


def check_header(problem: LibraryProblem) -> Iterator[Finding]:
    if problem.grade not in GRADES:
        yield "grade", f"grade {problem.grade} is not one of 6, 7, 8"
    elif not problem.grade * 1000 < problem.id < (problem.grade + 1) * 1000:
        low, high = problem.grade * 1000 + 1, problem.grade * 1000 + 999
        yield "id-range", f"id {problem.id} is outside grade {problem.grade}'s range {low}..{high}"
    folder = re.fullmatch(r"grade(\d+)", problem.file.parent.name)
    if folder and int(folder.group(1)) != problem.grade:
        yield "file-location", f"file is in {folder.group()}/ but says grade {problem.grade}"
    if problem.difficulty not in DIFFICULTIES:
        yield "difficulty", f"difficulty {problem.difficulty} is not 1, 2 or 3"
    if problem.topic not in TOPICS_BN:
        yield "topic-name", f"topic {problem.topic!r} has no Bengali name in src/content/topics.py"


def check_chapter(problem: LibraryProblem) -> Iterator[Finding]:
    """The problem names a chapter of src/content/syllabus.yaml, and one of its own grade."""
    if problem.chapter is None:
        yield "chapter", 'names no chapter: add `chapter: "7.4"` to the file or the problem'
        return
    chapter = syllabus().get(problem.chapter)
    if chapter is None:
        yield "chapter", f"chapter {problem.chapter!r} is not in src/content/syllabus.yaml"
    elif chapter.grade != problem.grade:
        yield (
            "chapter",
            f"chapter {problem.chapter} ({chapter.en}) is class {chapter.grade}'s, "
            f"not class {problem.grade}'s",
        )
    elif not chapter.checkable:
        yield "chapter", f"chapter {problem.chapter} ({chapter.en}) cannot be machine-checked"


def check_hints(problem: LibraryProblem) -> Iterator[Finding]:
    if len(problem.hints) != HINT_COUNT:
        yield "hints", f"has {len(problem.hints)} hints; exactly {HINT_COUNT} are needed"
    for language in ("en", "bn"):
        texts = [getattr(hint, language) for hint in problem.hints]
        for index, text in enumerate(texts):
            if text in texts[:index]:
                yield "hints", f"hint {index + 1} ({language}) repeats an earlier hint"
        question = problem.question_en if language == "en" else problem.question_bn
        if question in texts:
            yield "hints", f"a hint ({language}) repeats the question"


_COMPARISON = re.compile(r"\s*(?:[<>=≤≥≠]|<=|>=|!=)\s*")
_GROUPED = re.compile(r"(?<=\d)[,\s](?=\d{2,3}\b)")


def _written(value: Fraction, kind: AnswerKind) -> str | None:
    """`value` in the canonical form of `kind`, if it has one."""
    if kind is AnswerKind.INTEGER:
        return str(value.numerator) if value.denominator == 1 else None
    if kind is AnswerKind.FRACTION:
        return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else None
    if kind is AnswerKind.MIXED:
        if value.denominator == 1 or abs(value) < 1:
            return None
        whole, rest = divmod(abs(value.numerator), value.denominator)
        return f"{'-' if value < 0 else ''}{whole} {rest}/{value.denominator}"
    return None


def suggested_answer(answer: str, kind: AnswerKind) -> str | None:
    """What to write instead of an answer its kind cannot read ("write '4000'"), or None if unsure."""
    if _COMPARISON.fullmatch(answer):
        return (
            "a comparison sign fits no answer kind: ask which number is greater (or smaller) and make that "
            "number the answer"
        )
    text = answer.strip() if "/" in answer else _GROUPED.sub("", answer.strip())
    text = text.replace(" %", "%").removeprefix("+")
    text = text.replace("৳ ", "৳")
    if text != answer and text:
        try:
            parse_canonical(text, kind)
        except CanonicalAnswerError:
            pass
        else:
            return f"write {text!r}"
    number = text.removeprefix("৳").removesuffix("%")
    try:
        if re.fullmatch(r"-?\d+ \d+/\d+", number):
            whole, fraction = number.split()
            value = abs(int(whole)) + Fraction(fraction)
            value = -value if whole.startswith("-") else value
        else:
            value = Fraction(number)
    except (ValueError, ZeroDivisionError):
        return None
    for candidate in (kind, AnswerKind.INTEGER):
        written = _written(value, candidate)
        if written is not None:
            also = "" if candidate is kind else f" with answer_kind {candidate.value}"
            return f"write {written!r}{also}"
    return None


def check_answer(problem: LibraryProblem) -> Iterator[Finding]:
    """Answer parses in its kind, the kind is the one the checker infers, and the solution agrees."""
    try:
        answer_value = parse_canonical(problem.answer, problem.answer_kind)
    except CanonicalAnswerError as exc:
        instead = suggested_answer(problem.answer, problem.answer_kind)
        advice = f"; {instead}" if instead else ""
        yield "answer", f"{problem.answer!r} is not a valid {problem.answer_kind} answer: {exc}{advice}"
        return
    inferred = infer_kind(problem.answer)
    if inferred != problem.answer_kind:
        yield (
            "answer-kind",
            f"answer_kind is {problem.answer_kind} but {problem.answer!r} reads as {inferred}",
        )
    if _BARE_NUMBER.fullmatch(problem.solution):
        yield (
            "solution-trivial",
            f"solution {problem.solution!r} restates a number instead of computing the answer "
            "from the question's data",
        )
    try:
        solution_value = evaluate_solution(problem.solution)
    except SolutionError as exc:
        yield "solution", f"solution {problem.solution!r} {exc}"
        return
    try:
        agrees = values_equal(problem.answer_kind, answer_value, solution_value)
    except (ValueError, TypeError, sympy.SympifyError) as exc:
        agrees = False
        detail = f" ({type(exc).__name__}: {exc})"
    else:
        detail = ""
    if not agrees:
        yield (
            "solution-value",
            f"solution {problem.solution!r} gives {solution_value}, which does not equal the "
            f"answer {problem.answer!r}{detail}",
        )


def check_reveals(problem: LibraryProblem) -> Iterator[Finding]:
    try:
        parse_canonical(problem.answer, problem.answer_kind)
    except CanonicalAnswerError:
        return  # reported by check_answer; nothing to compare against
    for number, hint in enumerate(problem.hints, start=1):
        for language in ("en", "bn"):
            hit = find_reveal(getattr(hint, language), problem.answer, problem.answer_kind)
            if hit is not None:
                yield "hint-reveals", f"hint {number} ({language}) contains the answer as {hit!r}"


def _bengali_findings(field: str, text: str) -> Iterator[Finding]:
    digit = _ASCII_DIGIT.search(text)
    if digit:
        yield "bn-digits", f"{field} has ASCII digits ({_snippet(text, digit)}); use ০-৯"
    for run in _LATIN_RUN.finditer(text):
        word = run.group()
        # Single letters are variables (x, a), capitals are geometry labels (ABC); anything else is
        # English that should have been translated.
        if word.isupper() and word.lower() not in _LATIN_WORDS_IN_BENGALI:
            continue
        if word.islower() and len(word) <= 3 and word not in _LATIN_WORDS_IN_BENGALI:
            continue
        yield "bn-script", f"{field} has the Latin word {word!r}; write it in Bengali"


def _english_findings(field: str, text: str) -> Iterator[Finding]:
    digit = _BENGALI_DIGIT.search(text)
    if digit:
        yield "en-digits", f"{field} has Bengali digits ({_snippet(text, digit)}); use 0-9"
    letter = _BENGALI_LETTER.search(text)
    if letter:
        yield "en-script", f"{field} has Bengali text ({_snippet(text, letter)})"


def _power_findings(field: str, text: str) -> Iterator[Finding]:
    caret = _CARET.search(text)
    if caret:
        # A student reads the text as written: "x^৪" is not how a textbook writes x⁴.
        yield "caret-power", f"{field} writes a power with ^ ({_snippet(text, caret)}); use x², x³, 2ⁿ"


def check_scripts(problem: LibraryProblem) -> Iterator[Finding]:
    texts = [("question_en", problem.question_en, "en"), ("question_bn", problem.question_bn, "bn")]
    for number, hint in enumerate(problem.hints, start=1):
        texts += [(f"hint {number} en", hint.en, "en"), (f"hint {number} bn", hint.bn, "bn")]
    for field, text, language in texts:
        yield from (_english_findings if language == "en" else _bengali_findings)(field, text)
        yield from _power_findings(field, text)


# What the question's wording asks for, and the forms that satisfy it.
_ASKED_FORMS: tuple[tuple[re.Pattern[str], frozenset[Form], str], ...] = (
    # An algebraic fraction "in lowest terms" is a simplified expression (its common factors cancelled).
    (
        re.compile(r"lowest terms|simplest form", re.I),
        frozenset({Form.LOWEST_TERMS, Form.SIMPLIFIED}),
        "lowest terms",
    ),
    (re.compile(r"\bas an? mixed number", re.I), frozenset({Form.MIXED_NUMBER}), "a mixed number"),
    (
        re.compile(r"\bas an improper fraction", re.I),
        frozenset({Form.IMPROPER_FRACTION}),
        "an improper fraction",
    ),
    (
        re.compile(r"\bas a decimal|decimal places|in decimals?\b", re.I),
        frozenset({Form.DECIMAL}),
        "a decimal",
    ),
    (re.compile(r"\bexpand|expanded form", re.I), frozenset({Form.EXPANDED}), "the expanded form"),
)
# The kinds each form can apply to.
_FORM_KINDS: dict[Form, frozenset[AnswerKind]] = {
    Form.LOWEST_TERMS: frozenset({AnswerKind.FRACTION, AnswerKind.INTEGER}),
    Form.MIXED_NUMBER: frozenset({AnswerKind.MIXED}),
    Form.IMPROPER_FRACTION: frozenset({AnswerKind.FRACTION}),
    Form.DECIMAL: frozenset({AnswerKind.DECIMAL, AnswerKind.INTEGER}),
    Form.EXPANDED: frozenset({AnswerKind.EXPRESSION}),
    Form.SIMPLIFIED: frozenset({AnswerKind.EXPRESSION}),
    Form.FACTORISED: frozenset({AnswerKind.FACTORED}),
}
_EXPRESSION_FORMS = frozenset({Form.EXPANDED, Form.SIMPLIFIED})
_FACTORISE = re.compile(r"^\s*factori[sz]e", re.I)
_SIMPLIFY = re.compile(r"\bsimplif", re.I)
# A bracketed sum with a letter in it, as "(2m + 3)" or "(x + 5)²": typed back, it must not pass.
_BRACKETED_SUM = re.compile(r"\([^()]*[a-z][^()]*[+−-][^()]*\)|\([^()]*[+−-][^()]*[a-z][^()]*\)")


def check_form(problem: LibraryProblem) -> Iterator[Finding]:
    """The form the question asks for is the problem's `form:`, fits its kind, and its answer has it."""
    form, kind, question = problem.form, problem.answer_kind, problem.question_en
    if form is not None and form not in LIBRARY_FORMS:
        allowed = ", ".join(f.value for f in LIBRARY_FORMS)
        yield "form", f"form {form.value!r} is not one a problem can ask for ({allowed})"
        return
    for pattern, forms, words in _ASKED_FORMS:
        if pattern.search(question) and form not in forms:
            wanted = " or ".join(sorted(f.value for f in forms))
            yield "form-missing", f"the question asks for {words}: add `form: {wanted}`"
    if _FACTORISE.search(question) and kind is not AnswerKind.FACTORED and form is not Form.FACTORISED:
        yield "form-missing", "the question asks to factorise: use answer_kind factored"
    if kind is AnswerKind.EXPRESSION and form is None:
        if _SIMPLIFY.search(question):
            yield "form-missing", "the question asks to simplify: add `form: simplified`"
        elif _BRACKETED_SUM.search(question):
            yield (
                "form-missing",
                "the question has a bracketed expression a student could type back: add `form: expanded` "
                "or `form: simplified`",
            )
    if form is None:
        return
    if kind not in _FORM_KINDS[form]:
        kinds = ", ".join(sorted(k.value for k in _FORM_KINDS[form]))
        yield "form", f"form {form.value} does not apply to a {kind.value} answer (only {kinds})"
        return
    result = marking.check_answer(problem.answer, problem.answer, kind, form=form)
    if result.verdict is not Verdict.CORRECT:
        yield "form", f"the answer {problem.answer!r} is not itself written in the form {form.value}"


def check_mistakes(problem: LibraryProblem) -> Iterator[Finding]:
    """Each common wrong answer computes a value other than the answer; its nudges do not give it away."""
    try:
        answer_value = parse_canonical(problem.answer, problem.answer_kind)
    except CanonicalAnswerError:
        return  # reported by check_answer
    seen: set[str] = set()
    for entry in problem.mistakes:
        name = entry.misconception
        if name in seen:
            yield "mistake", f"misconception {name!r} appears twice"
        seen.add(name)
        try:
            value = evaluate_solution(entry.wrong)
        except SolutionError as exc:
            yield "mistake", f"{name}: wrong {entry.wrong!r} {exc}"
            continue
        try:
            same = values_equal(problem.answer_kind, answer_value, value)
        except (ValueError, TypeError, sympy.SympifyError):
            same = False
        if same:
            yield "mistake-is-answer", f"{name}: wrong {entry.wrong!r} gives the answer itself"
        for language, nudge in (("en", entry.nudge_en), ("bn", entry.nudge_bn)):
            hit = find_reveal(nudge, problem.answer, problem.answer_kind)
            if hit is not None:
                yield "mistake-reveals", f"{name}: nudge_{language} contains the answer as {hit!r}"
            findings = _english_findings if language == "en" else _bengali_findings
            yield from findings(f"{name} nudge_{language}", nudge)


_TO_ASCII = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\b")


def _clock_hour(match: re.Match[str]) -> str:
    # "6:00 am" is "সকাল ৬টা" in Bengali: the hour is the number both say; 6:30 stays two numbers.
    return match.group(1) if match.group(2) == "00" else f"{match.group(1)} {match.group(2)}"


def written_numbers(text: str) -> set[Fraction]:
    """The numbers written in digits in a text, in either script, without 0 and 1 (which one language
    may write as a word or leave out: "a", "একটি", "১টি")."""
    text = _CLOCK.sub(_clock_hour, text.translate(_TO_ASCII))
    return set(question_numbers(text)) - {Fraction(0), Fraction(1)}


def check_numbers_agree(problem: LibraryProblem) -> Iterator[Finding]:
    """The question and each hint use the same numbers in English and in Bengali."""
    pairs = [("question", problem.question_en, problem.question_bn)]
    pairs += [(f"hint {n}", h.en, h.bn) for n, h in enumerate(problem.hints, start=1)]
    for where, english, bengali in pairs:
        en, bn = written_numbers(english), written_numbers(bengali)
        if en != bn:
            only_en = ", ".join(str(n) for n in sorted(en - bn)) or "-"
            only_bn = ", ".join(str(n) for n in sorted(bn - en)) or "-"
            yield (
                "numbers-agree",
                f"{where}: numbers only in English: {only_en}; only in Bengali: {only_bn} "
                "(write a number in digits in both languages)",
            )


PER_PROBLEM_CHECKS = (
    check_header,
    check_chapter,
    check_hints,
    check_answer,
    check_reveals,
    check_scripts,
    check_form,
    check_mistakes,
    check_numbers_agree,
)


def problem_faults(problem: LibraryProblem) -> Iterator[Fault]:
    for check in PER_PROBLEM_CHECKS:
        try:
            findings = list(check(problem))
        except Exception as exc:  # one odd problem must not hide the report on the other 279
            what = check.__name__.removeprefix("check_")
            findings = [("unchecked", f"{what} could not be checked: {type(exc).__name__}: {exc}")]
        for rule, message in findings:
            yield Fault(problem.file, problem.id, rule, message)


def _where(problem: LibraryProblem) -> str:
    return f"{problem.file.name}:{problem.id}"


def duplicate_id_faults(problems: Sequence[LibraryProblem]) -> Iterator[Fault]:
    by_id: dict[int, list[LibraryProblem]] = defaultdict(list)
    for problem in problems:
        by_id[problem.id].append(problem)
    for group in by_id.values():
        for later in group[1:]:
            yield Fault(later.file, later.id, "id-duplicate", f"id already used by {_where(group[0])}")


def normalised_question(text: str) -> str:
    """Question text with case, spacing, punctuation and digit script folded away."""
    text = unicodedata.normalize("NFC", text).translate(str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789"))
    # Marks (category M) stay: Bengali vowel signs are not alphanumeric, but they change the word.
    return "".join(c for c in text.casefold() if unicodedata.category(c)[0] in "LNM")


def question_numbers(text: str) -> tuple[Fraction, ...]:
    """The numbers a question uses, as a sorted multiset; 1,250 and 0.50 read as 1250 and 1/2."""
    folded = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    return tuple(sorted(Fraction(n) for n in re.findall(r"\d+(?:\.\d+)?", folded)))


def duplicate_problem_faults(problems: Sequence[LibraryProblem]) -> Iterator[Fault]:
    """Same question text (either language, anywhere), or a reworded twin.

    A twin has the same grade and topic, the same numbers in its question, and an equal answer:
    changing only the names and the story does not make a new exercise.
    """
    seen_text: dict[tuple[str, str], LibraryProblem] = {}
    seen_numbers: dict[tuple[int, str, tuple[Fraction, ...]], list[LibraryProblem]] = defaultdict(list)
    for problem in problems:
        reported = False
        for language, question in (("en", problem.question_en), ("bn", problem.question_bn)):
            key = (language, normalised_question(question))
            first = seen_text.setdefault(key, problem)
            if first is not problem and not reported:
                reported = True
                yield Fault(
                    problem.file,
                    problem.id,
                    "duplicate",
                    f"question_{language} is the same as {_where(first)}'s",
                )
        numbers = question_numbers(problem.question_en)
        if not numbers:
            continue
        group = seen_numbers[(problem.grade, problem.topic, numbers)]
        twin = next((other for other in group if _same_answer(other, problem)), None)
        if twin is not None and not reported:
            yield Fault(
                problem.file,
                problem.id,
                "duplicate",
                f"same numbers and answer as {_where(twin)} in the same topic (a reworded copy)",
            )
        group.append(problem)


def _same_answer(one: LibraryProblem, other: LibraryProblem) -> bool:
    if one.answer_kind != other.answer_kind:
        return False
    if one.answer == other.answer:
        return True
    try:
        kind: AnswerKind = one.answer_kind
        return bool(
            values_equal(kind, parse_canonical(one.answer, kind), parse_canonical(other.answer, kind))
        )
    except (CanonicalAnswerError, ValueError, TypeError):
        return False


def library_faults(problems: Sequence[LibraryProblem]) -> Iterator[Fault]:
    yield from duplicate_id_faults(problems)
    yield from duplicate_problem_faults(problems)
