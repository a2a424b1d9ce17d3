"""Practice over HTTP: a whole session, ownership, expiry, non-answers, and concurrent requests."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from src.answers.normalize import to_bengali_digits
from src.database import get_session
from src.models import Response, Streak
from src.models import Session as PracticeSession
from tests.api.conftest import Api, Register, assert_error

# The test library's topics (tests/factories.py) as the textbooks name them.
BENGALI_TOPICS = {
    "Profit & Loss": "লাভ-ক্ষতি",
    "Ratio": "অনুপাত",
    "Sets": "সেট",
    "Triangles": "ত্রিভুজ",
    "Measurement": "পরিমাপ",
    "Factorisation": "উৎপাদকে বিশ্লেষণ",
}


async def start(api: Api, telegram_id: int) -> dict[str, Any]:
    response = await api.client().post("/sessions/today", headers=api.student(telegram_id))
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


async def answer(
    api: Api, telegram_id: int, session_id: int, text: str, problem_id: int | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"answer": text} | ({"problem_id": problem_id} if problem_id else {})
    response = await api.client().post(
        f"/sessions/{session_id}/answers", json=body, headers=api.student(telegram_id)
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_a_whole_session(api: Api, answers: dict[int, str], register: Register) -> None:
    await register(701)
    client = api.client()
    me = api.student

    started = await client.post("/sessions/today", headers=me(701))
    assert started.status_code == 201, started.text
    session = started.json()
    sid = session["session_id"]
    assert session["status"] == "in_progress" and session["resumed"] is False
    assert session["problems_total"] == 5 and len(session["problems"]) == 5
    assert [p["position"] for p in session["problems"]] == [1, 2, 3, 4, 5]
    assert all(p["answer"] is None for p in session["problems"])  # never an unfinished problem's answer
    assert all(p["answer_text"] is None for p in session["problems"])
    # Lean: the current problem in full, the others by their state only (no texts sent twice).
    assert all("question" not in p and "hints" not in p for p in session["problems"])
    full = (await client.get(f"/sessions/{sid}", headers=me(701))).json()["problems"]
    assert all(p["question"]["en"] and p["question"]["bn"] for p in full)
    for problem in full:  # the topic as the textbook names it, for a Bengali reader
        assert problem["topic_text"] == {"en": problem["topic"], "bn": BENGALI_TOPICS[problem["topic"]]}
    ids = [p["problem_id"] for p in session["problems"]]
    assert session["current_problem"]["problem_id"] == ids[0]
    assert session["current_problem"]["attempts_left"] == 3
    assert session["current_problem"]["question"] == full[0]["question"]

    # Problem 1: a hint, a wrong answer, then the right one.
    hint = await client.post(f"/sessions/{sid}/hints", json={"problem_id": ids[0]}, headers=me(701))
    assert hint.status_code == 200, hint.text
    assert hint.json()["hint"] == {
        "hint_number": 1,
        "text": {"en": "Hint 1", "bn": "ইঙ্গিত 1"},
        "is_ai_generated": False,
    }
    assert hint.json()["hints_left"] == 2
    wrong = await answer(api, 701, sid, "1000", ids[0])
    assert (wrong["verdict"], wrong["correct"], wrong["recorded"], wrong["attempts_left"]) == (
        "wrong",
        False,
        True,
        2,
    )
    assert wrong["problem_finished"] is False and wrong["reveal"] is None
    assert wrong["problem"]["answer"] is None and wrong["problem"]["problem_id"] == ids[0]
    assert wrong["problem"]["hints_used"] == 1 and "question" not in wrong["problem"]
    assert wrong["next_problem"] is None  # the same problem goes on: nothing new to send
    right = await answer(api, 701, sid, answers[ids[0]], ids[0])
    assert (right["verdict"], right["correct"], right["problem_finished"]) == ("correct", True, True)
    assert right["problem"]["solved"] is True and right["problem"]["attempts"] == 2
    assert right["problem"]["answer"] == answers[ids[0]]  # finished: now it may be shown
    shown = {"en": answers[ids[0]], "bn": to_bengali_digits(answers[ids[0]])}
    assert right["problem"]["answer_text"] == shown and shown["bn"] != shown["en"]
    assert right["reveal"] is None  # solved problems need no reveal
    assert right["next_problem"]["problem_id"] == ids[1]
    assert right["next_problem"]["question"] == full[1]["question"]  # the next one comes in full
    assert right["session_finished"] is False and right["summary"] is None

    # Problem 2: skipped; the answer and the last hint are revealed.
    skipped = await client.post(f"/sessions/{sid}/skip", json={"problem_id": ids[1]}, headers=me(701))
    assert skipped.status_code == 200, skipped.text
    skip = skipped.json()
    assert skip["verdict"] == "skipped" and skip["problem"]["skipped"] is True
    assert skip["reveal"] == {
        "answer": answers[ids[1]],
        "answer_text": {"en": answers[ids[1]], "bn": to_bengali_digits(answers[ids[1]])},
        "last_hint": {"en": "Hint 3", "bn": "ইঙ্গিত 3"},
    }

    # Problem 3: three wrong answers finish it unsolved.
    for left in (2, 1, 0):
        result = await answer(api, 701, sid, "99999", ids[2])
        assert result["attempts_left"] == left
    assert result["problem_finished"] is True and result["problem"]["solved"] is False
    assert result["reveal"]["answer"] == answers[ids[2]]

    # Problems 4 and 5: right first time (the last without problem_id).
    await answer(api, 701, sid, answers[ids[3]], ids[3])
    done = await answer(api, 701, sid, answers[ids[4]])
    assert done["session_finished"] is True and done["session_status"] == "completed"
    assert done["next_problem"] is None
    summary = done["summary"]
    assert summary["problems_correct"] == 3 and summary["problems_total"] == 5
    assert summary["total_time_seconds"] >= 0
    assert summary["streak"] == {"current": 1, "longest": 1, "new_milestones": []}

    # Afterwards: the session shows every answer; today's session is this one; streak and progress moved.
    view = (await client.get(f"/sessions/{sid}", headers=me(701))).json()
    assert view["status"] == "completed" and view["current_problem"] is None
    assert [p["answer"] for p in view["problems"]] == [answers[i] for i in ids]
    again = await client.post("/sessions/today", headers=me(701))
    assert again.status_code == 200 and again.json()["session_id"] == sid and again.json()["resumed"]
    streak = (await client.get("/students/me/streak", headers=me(701))).json()
    assert streak["current"] == 1 and streak["practised_today"] is True and streak["next_milestone"] == 7
    progress = (await client.get("/students/me/progress", headers=me(701))).json()
    # Five problems met: three solved (one at the second try), one skipped, one out of tries; 7 answers.
    assert (progress["problems"], progress["solved"], progress["attempts"]) == (5, 3, 7)
    assert progress["solved_share"] == 0.6
    assert sum(t["skipped"] for t in progress["topics"]) == 1
    assert sum(t["problems"] for t in progress["topics"]) == 5
    assert all(t["topic_text"]["bn"] == BENGALI_TOPICS[t["topic"]] for t in progress["topics"])
    assert progress["weeks"][-1]["sessions_completed"] == 1 and len(progress["weeks"]) == 8
    # Mastery of every topic of the grade, in both languages, and tomorrow's plan.
    levels = {m["topic"]: (m["stars"], m["level"], m["level_text"]) for m in progress["mastery"]}
    assert {t["topic"] for t in progress["topics"]} <= levels.keys()
    assert all(m["topic_text"]["bn"] == BENGALI_TOPICS[m["topic"]] for m in progress["mastery"])
    words = {0: ("not started", "শুরু হয়নি"), 1: ("learning", "শিখছ"), 2: ("nearly there", "প্রায় পেরেছ")}
    assert all((text["en"], text["bn"]) == words[stars] for stars, _, text in levels.values())
    assert sum(1 for stars, _, _ in levels.values() if stars) == len(progress["topics"])
    assert progress["tomorrow"] and all(t["topic"] in levels for t in progress["tomorrow"])


async def test_seven_days_reach_the_first_milestone(
    api: Api, answers: dict[int, str], register: Register
) -> None:
    await register(702)
    for day in range(7):
        session = await start(api, 702)
        assert session["resumed"] is False, f"day {day}"
        for problem in session["problems"]:
            result = await answer(api, 702, session["session_id"], answers[problem["problem_id"]])
        api.clock.advance(days=1)
    assert result["summary"]["streak"] == {"current": 7, "longest": 7, "new_milestones": [7]}


async def test_non_answers_use_no_attempt(api: Api, answers: dict[int, str], register: Register) -> None:
    await register(703)
    session = await start(api, 703)
    sid = session["session_id"]
    for text in ("hint", "জানি না"):
        result = await answer(api, 703, sid, text)
        assert result["verdict"] == "not_an_answer" and result["recorded"] is False
        assert result["attempts_left"] == 3 and result["non_answer"] in ("hint", "dont_know")
    async with get_session() as db:
        recorded = await db.scalar(select(func.count()).select_from(Response))
    assert recorded == 0


async def test_blank_answer_is_422(api: Api, answers: dict[int, str], register: Register) -> None:
    await register(704)
    sid = (await start(api, 704))["session_id"]
    response = await api.client().post(
        f"/sessions/{sid}/answers", json={"answer": "   "}, headers=api.student(704)
    )
    assert_error(response, 422, "validation_error")


async def test_student_a_cannot_see_or_touch_b_session(
    api: Api, answers: dict[int, str], register: Register
) -> None:
    await register(705)
    await register(706)
    sid = (await start(api, 705))["session_id"]
    client = api.client()
    other = api.student(706)
    assert_error(await client.get(f"/sessions/{sid}", headers=other), 404, "session_not_found")
    for path, body in (("answers", {"answer": "7"}), ("hints", {}), ("skip", {})):
        response = await client.post(f"/sessions/{sid}/{path}", json=body, headers=other)
        assert_error(response, 404, "session_not_found")
    # Nothing happened to A's session.
    view = (await client.get(f"/sessions/{sid}", headers=api.student(705))).json()
    assert all(p["attempts"] == 0 and not p["hints"] and not p["skipped"] for p in view["problems"])


async def test_unknown_session_is_404(api: Api, answers: dict[int, str], register: Register) -> None:
    await register(707)
    response = await api.client().get("/sessions/999999", headers=api.student(707))
    assert_error(response, 404, "session_not_found")


async def test_expired_session_is_409_naming_the_expiry(
    api: Api, answers: dict[int, str], register: Register
) -> None:
    await register(708)
    session = await start(api, 708)
    api.clock.advance(minutes=31)
    response = await api.client().post(
        f"/sessions/{session['session_id']}/answers", json={"answer": "7"}, headers=api.student(708)
    )
    details = assert_error(response, 409, "session_expired")
    assert details == {"expires_at": "2026-05-01T04:30:00+00:00"}
    assert session["expires_at"] in ("2026-05-01T04:30:00Z", "2026-05-01T04:30:00+00:00")
    assert "2026-05-01T04:30:00" in response.json()["error"]["message"]
    # Once abandoned (here by a new start), the session offers no current problem and reveals nothing.
    assert (await api.client().post("/sessions/today", headers=api.student(708))).status_code == 201
    old = (await api.client().get(f"/sessions/{session['session_id']}", headers=api.student(708))).json()
    assert old["status"] == "abandoned" and old["current_problem"] is None
    assert all(p["answer"] is None for p in old["problems"])


async def test_hint_ladder_ends_and_wrong_problem_is_refused(
    api: Api, answers: dict[int, str], register: Register
) -> None:
    await register(709)
    session = await start(api, 709)
    sid, ids = session["session_id"], [p["problem_id"] for p in session["problems"]]
    client = api.client()
    for number in (1, 2, 3):
        hint = await client.post(f"/sessions/{sid}/hints", headers=api.student(709))
        assert hint.json()["hint"]["hint_number"] == number
    assert_error(await client.post(f"/sessions/{sid}/hints", headers=api.student(709)), 409, "no_hints_left")
    response = await client.post(
        f"/sessions/{sid}/answers", json={"answer": "7", "problem_id": ids[1]}, headers=api.student(709)
    )
    assert assert_error(response, 409, "problem_not_current") == {"current_problem_id": ids[0]}
    view = (await client.get(f"/sessions/{sid}", headers=api.student(709))).json()
    assert len(view["problems"][0]["hints"]) == 3 and view["problems"][0]["hints_left"] == 0


async def test_concurrent_starts_make_one_session(
    api: Api, answers: dict[int, str], register: Register
) -> None:
    await register(710)

    async def start_on_own_client() -> tuple[int, int]:
        response = await api.client().post("/sessions/today", headers=api.student(710))
        return response.status_code, response.json()["session_id"]

    results = await asyncio.gather(*(start_on_own_client() for _ in range(4)))
    assert sorted(status for status, _ in results) == [200, 200, 200, 201]
    assert len({sid for _, sid in results}) == 1
    async with get_session() as db:
        assert await db.scalar(select(func.count()).select_from(PracticeSession)) == 1


async def test_concurrent_double_submit_counts_once(
    api: Api, answers: dict[int, str], register: Register
) -> None:
    student_id = (await register(711))["student_id"]
    session = await start(api, 711)
    sid, ids = session["session_id"], [p["problem_id"] for p in session["problems"]]
    for pid in ids[:4]:
        await answer(api, 711, sid, answers[pid], pid)

    async def submit(problem_id: int | None) -> int:
        body: dict[str, Any] = {"answer": answers[ids[4]]}
        if problem_id is not None:
            body["problem_id"] = problem_id
        response = await api.client().post(f"/sessions/{sid}/answers", json=body, headers=api.student(711))
        return response.status_code

    # The same last answer twice at once (one with, one without problem_id): one completes the session.
    assert sorted(await asyncio.gather(submit(ids[4]), submit(None))) == [200, 409]
    async with get_session() as db:
        stored = await db.get(PracticeSession, sid)
        streak = await db.get(Streak, student_id)
        responses = await db.scalar(select(func.count()).select_from(Response))
    assert stored is not None and stored.problems_correct == 5
    assert responses == 5
    assert streak is not None and streak.current_streak == 1


async def test_concurrent_answers_to_one_problem_do_not_spill_over(
    api: Api, answers: dict[int, str], register: Register
) -> None:
    await register(712)
    session = await start(api, 712)
    sid, first = session["session_id"], session["problems"][0]["problem_id"]

    async def submit() -> int:
        response = await api.client().post(
            f"/sessions/{sid}/answers",
            json={"answer": answers[first], "problem_id": first},
            headers=api.student(712),
        )
        return response.status_code

    assert sorted(await asyncio.gather(submit(), submit())) == [200, 409]
    view = (await api.client().get(f"/sessions/{sid}", headers=api.student(712))).json()
    assert [p["attempts"] for p in view["problems"]] == [1, 0, 0, 0, 0]
