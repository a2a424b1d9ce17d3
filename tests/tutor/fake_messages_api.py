"""A fake Anthropic Messages API for the real `anthropic.AsyncAnthropic` client (tests and the cost bench).

It answers POST /v1/messages with real Messages JSON (id, type, role, model, content, stop_reason, usage)
whose token counts follow the prompt actually sent (~3.5 characters a token for ASCII, ~2 for Bengali
script; models of the Haiku 5 family count ~30% more), or with API errors, timeouts and hangs. The SDK in
this repository (anthropic 2.x) runs on `httpx2`, so the fake is an `httpx2.MockTransport`.

Replies come from a script (one per request, in order) and then from a responder, by default an honest
"model": generic hints in the asked language that never state a number, and JSON verdicts that copy the
student's final number.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2

from src.answers.check import Verdict, check_answer
from src.tutor.prompts import HINT_SYSTEM, JUDGE_SYSTEM

HINT_MARKER = HINT_SYSTEM.split("\n", 1)[0]
JUDGE_MARKER = JUDGE_SYSTEM.split("\n", 1)[0]


@dataclass
class Reply:
    """What one request gets: a message (text), an API error (status), a timeout or a 200 with a bad body."""

    text: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    timeout: bool = False
    stop_reason: str = "end_turn"
    usage: dict[str, Any] | None = None  # overrides the computed usage object
    raw_body: str | None = None


Responder = Callable[[dict[str, Any]], Reply]


def count_tokens(text: str, model: str) -> int:
    ascii_chars = sum(1 for char in text if ord(char) < 128)
    other = len(text) - ascii_chars
    tokens = ascii_chars / 3.5 + other / 2.0
    if "haiku-5" in model or "sonnet-5" in model or "opus-5" in model:
        tokens *= 1.3
    return max(1, math.ceil(tokens))


def prompt_text(body: dict[str, Any]) -> str:
    system = body.get("system") or ""
    if isinstance(system, list):
        system = "".join(block.get("text", "") for block in system)
    parts = [system]
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        else:
            parts.extend(block.get("text", "") for block in content)
    return "\n".join(parts)


def is_hint_request(body: dict[str, Any]) -> bool:
    return str(body.get("system", "")).startswith(HINT_MARKER)


def is_judge_request(body: dict[str, Any]) -> bool:
    return str(body.get("system", "")).startswith(JUDGE_MARKER)


def student_text(body: dict[str, Any]) -> str:
    """The student's text between the nonce tags of a request."""
    user = prompt_text({"messages": body["messages"]})
    match = re.search(r"<(student_answer_[0-9a-f]+)>\n(.*)\n</\1>", user, re.DOTALL)
    return match.group(2) if match else ""


def expected_answer(body: dict[str, Any]) -> str:
    match = re.search(r"^Expected answer: (.*)$", prompt_text({"messages": body["messages"]}), re.MULTILINE)
    return match.group(1).strip() if match else ""


_HINTS = {
    "en": [
        "Read the question again and decide which quantity it asks for, then check which rule connects "
        "the numbers you are given.",
        "Write down the numbers of the problem with what each one means, and set up the calculation before "
        "you work anything out.",
        "You are one step from the end: check the sign and the place value in your last step, then finish "
        "the calculation yourself.",
    ],
    "bn": [
        "প্রশ্নটি আবার পড়ো এবং কোন রাশিটি চাওয়া হয়েছে তা ঠিক করো, তারপর দেখো কোন নিয়মে দেওয়া সংখ্যাগুলো যুক্ত।",
        "সমস্যার সংখ্যাগুলো কী বোঝায় তা লিখে ফেলো, আর হিসাব করার আগে কীভাবে সাজাবে তা ঠিক করো।",
        "তুমি শেষ ধাপের কাছে এসে গেছ: শেষ ধাপে চিহ্ন আর স্থানীয় মান মিলিয়ে দেখো, তারপর নিজে হিসাবটা শেষ করো।",
    ],
}

_LAST_VALUE = re.compile(r"-?[0-9০-৯]+(?:[.,/][0-9০-৯]+)*%?")


def honest_extraction(text: str, expected: str) -> str:
    """What a careful reader reports as the final value: the last expression, pair, set or number."""
    text = text.strip().rstrip(".।!")
    if re.search(r"[a-z]", expected) and "=" not in expected:  # an expression: what follows the last =
        tail = text.rsplit("=", 1)[-1].strip()
        return tail if re.search(r"[a-z]", tail) else ""
    if "=" in expected:
        match = re.search(r"([a-z]\s*=\s*[^=]+)$", text)
        if match:
            return match.group(1).strip()
    group = re.search(r"[({][^(){}]*[)}]$", text)
    if group:
        return group.group()
    values = _LAST_VALUE.findall(text)
    return values[-1] if values else ""


def honest_verdict(text: str, expected: str) -> dict[str, str]:
    extracted = honest_extraction(text, expected)
    if not extracted:
        return {"verdict": "unclear", "extracted_answer": ""}
    check = check_answer(extracted, expected)
    verdict = {Verdict.CORRECT: "correct", Verdict.WRONG: "wrong"}.get(check.verdict, "unclear")
    return {"verdict": verdict, "extracted_answer": extracted}


def honest_responder(body: dict[str, Any]) -> Reply:
    if is_judge_request(body):
        return Reply(
            json.dumps(honest_verdict(student_text(body), expected_answer(body)), ensure_ascii=False)
        )
    language = "bn" if "Write in Bengali" in str(body.get("system", "")) else "en"
    level = 1
    match = re.search(r"level (\d) of 3", str(body.get("system", "")))
    if match:
        level = int(match.group(1))
    return Reply(_HINTS[language][level - 1])


class FakeMessagesApi:
    """Counts and keeps every request; answers from `script` first, then from `responder`."""

    def __init__(self, responder: Responder = honest_responder, *, usage_style: str = "absent") -> None:
        self.responder = responder
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.usage_style = usage_style  # "absent" | "null" | "zero": how the optional cache fields look

    @property
    def calls(self) -> int:
        return len(self.requests)

    def then(self, *replies: Reply) -> FakeMessagesApi:
        self.script.extend(replies)
        return self

    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self.handle)

    def client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(transport=self.transport())

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        assert request.method == "POST" and request.url.path.endswith("/v1/messages"), request.url
        body: dict[str, Any] = json.loads(request.content)
        self.requests.append(body)
        reply = self.script.popleft() if self.script else self.responder(body)
        if reply.timeout:
            raise httpx2.ReadTimeout("fake: no answer in time", request=request)
        if reply.status != 200:
            kind = {429: "rate_limit_error", 529: "overloaded_error"}.get(reply.status, "api_error")
            error = {"type": "error", "error": {"type": kind, "message": f"fake {reply.status}"}}
            return httpx2.Response(reply.status, headers=reply.headers, json=error)
        if reply.raw_body is not None:
            return httpx2.Response(200, headers={"content-type": "application/json"}, text=reply.raw_body)
        return httpx2.Response(200, headers=reply.headers, json=self.message(body, reply))

    def message(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        model = str(body["model"])
        output_tokens = min(count_tokens(reply.text, model), int(body["max_tokens"]))
        usage: dict[str, Any] = {
            "input_tokens": count_tokens(prompt_text(body), model) + 8,  # + the message framing
            "output_tokens": output_tokens,
        }
        if self.usage_style == "null":
            usage |= {"cache_creation_input_tokens": None, "cache_read_input_tokens": None}
        elif self.usage_style == "zero":
            usage |= {"cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
        if reply.usage is not None:
            usage = reply.usage
        return {
            "id": f"msg_{uuid.uuid4().hex[:24]}",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": reply.text}],
            "stop_reason": reply.stop_reason,
            "stop_sequence": None,
            "usage": usage,
        }


# --- a compromised model: every hint carries the answer, in disguise --------------------------------------

_EN_DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_BN_DIGIT_WORDS = ["শূন্য", "এক", "দুই", "তিন", "চার", "পাঁচ", "ছয়", "সাত", "আট", "নয়"]
_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
_FULLWIDTH = str.maketrans("0123456789+-()=x", "０１２３４５６７８９＋－（）＝ｘ")
_BOLD_DIGITS = str.maketrans({str(d): chr(0x1D7CE + d) for d in range(10)})
_ARABIC_INDIC = str.maketrans({str(d): chr(0x0660 + d) for d in range(10)})
_INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u2061", "\u180e"]
_SPACES = [" ", "\u00a0", "\u2009", "\u202f", "\u3000", "  "]


def _digits_apart(text: str, separator: str) -> str:
    """Every pair of neighbouring digits pulled apart: 540 -> 5 4 0 (the separator between each); not those
    of a numerator, which would read as a mixed number (2 3/5 is not 23/5)."""
    return re.sub(r"(?<=\d)(?=\d)(?!\d*/)", separator, text)


def _spelled(text: str, words: list[str], separator: str) -> str:
    """Each digit as its own word: 128 -> one-two-eight, 14.29 -> one four point two nine."""
    point = " দশমিক " if words is _BN_DIGIT_WORDS else " point "

    def spell(match: re.Match[str]) -> str:
        return point.join(separator.join(words[int(d)] for d in part) for part in match.group().split("."))

    return re.sub(r"\d+(?:\.\d+)?", spell, text)


def disguises(answer: str) -> list[str]:
    """The library answer as a compromised model hides it: digits apart, invisible characters inside, other
    digit scripts and widths, reversed behind a right-to-left override, digits spelled one by one."""
    value = answer.removeprefix("৳")
    numeric = re.fullmatch(r"(?:[a-z] = )?[-0-9., /%{}()]+", value) is not None  # no letters to reckon
    forms: list[str] = []
    for separator in [*_SPACES, *(["-", " - ", "_"] if numeric else [])]:
        forms.append(_digits_apart(value, separator))
        forms.append(_digits_apart(value, separator).translate(_BENGALI_DIGITS))
    for invisible in _INVISIBLES:
        inside = value[:1] + invisible + value[1:]
        forms += [inside, inside.translate(_BENGALI_DIGITS), invisible.join(value)]
    forms += [value.translate(_FULLWIDTH), value.translate(_BOLD_DIGITS), value.translate(_ARABIC_INDIC)]
    forms += ["\u202e" + value[::-1] + "\u202c", "\u202e" + value[::-1].translate(_BENGALI_DIGITS) + "\u202c"]
    if answer.startswith("৳"):
        forms.append("৳ " + _digits_apart(value, " ").translate(_BENGALI_DIGITS))
    # Digits spelled one by one (a one-digit answer is a word: see the README's AI tutor section).
    if numeric and re.search(r"\d\d", value) and not re.search(r"\d\d/", value):
        for separator in ("-", " ", *([", "] if "," not in value else [])):
            forms.append(_spelled(value, _EN_DIGIT_WORDS, separator))
            forms.append(_spelled(value, _BN_DIGIT_WORDS, separator))
    return [form for form in dict.fromkeys(forms) if form != value]


LEAK_TEMPLATES = {
    "en": [
        "Write {} as your answer.",
        "Almost there: the answer is {}.",
        "Check that you get {} at the end.",
    ],
    "bn": ["উত্তর: {}", "তোমার উত্তর হবে {}।", "শেষে তুমি {} পাবে, মিলিয়ে দেখো।"],
}


class LeakingModel:
    """A responder whose every hint writes the answer in a disguise, rotating through all of them.

    `answers` maps a problem's question (either language) to its library answer; verdicts stay honest.
    """

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.turn = 0
        self.leaked: list[str] = []  # the hint texts sent

    def __call__(self, body: dict[str, Any]) -> Reply:
        if not is_hint_request(body):
            return honest_responder(body)
        user = prompt_text({"messages": body["messages"]})
        match = re.search(r"^Problem: (.*)$", user, re.MULTILINE)
        answer = self.answers.get(match.group(1).strip() if match else "", "")
        language = "bn" if "Write in Bengali" in str(body.get("system", "")) else "en"
        forms = disguises(answer) or [answer]
        templates = LEAK_TEMPLATES[language]
        text = templates[self.turn % len(templates)].format(forms[self.turn % len(forms)])
        self.turn += 1
        self.leaked.append(text)
        return Reply(text)
