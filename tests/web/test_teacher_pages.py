"""The teachers' pages: their own classes only, a student only once they joined, a week to read out."""

from __future__ import annotations

import re

import httpx
import pytest

from src.classes import service as classes
from src.database import get_session
from src.models import SchoolClass, Teacher
from tests.web.conftest import Web, csrf_of, sign_in_teacher
from tests.web.data import NOW, make_school


async def teacher_with_class(telegram_id: int, name: str, class_name: str) -> tuple[Teacher, SchoolClass]:
    async with get_session() as db:
        teacher = await classes.add_teacher(db, telegram_id=telegram_id, name=name)
        return teacher, await classes.create_class(db, teacher.teacher_id, class_name, 7)


@pytest.fixture
async def two_teachers(web: Web) -> tuple[SchoolClass, SchoolClass]:
    async with get_session() as db:
        school = await make_school(db)
    ayesha, seven_b = await teacher_with_class(881001, "Ayesha", "Seven B")
    _, eight_a = await teacher_with_class(881002, "Karim Sir", "Eight A")
    async with get_session() as db:
        await classes.join_class(db, school.students["Rahim"], seven_b.join_code, NOW)
        await classes.join_class(db, school.students["Arif"], eight_a.join_code, NOW)
    await sign_in_teacher(web.client, ayesha.teacher_id, NOW)
    return seven_b, eight_a


async def test_a_teacher_sees_their_class_and_its_members_only(
    web: Web, two_teachers: tuple[SchoolClass, SchoolClass]
) -> None:
    seven_b, _ = two_teachers
    page = await web.client.get(f"/teach/classes/{seven_b.class_id}?lang=en")
    assert page.status_code == 200
    members = re.search(r'<table id="members">.*?</table>', page.text, flags=re.S)
    assert members is not None
    assert "Rahim" in members.group(0)
    # Students of the school who did not join are not shown, nor the other class's.
    for other in ("Karim", "Mitu", "Nila", "Sadia", "Tanvir", "Arif"):
        assert other not in page.text
    assert seven_b.join_code in page.text
    summary = re.search(r'id="summary">(.*?)</section>', page.text, flags=re.S)
    assert summary is not None
    # NOW is Friday 1 May: this week is Monday 27 April on, and Rahim practised Monday to Thursday.
    assert "This week 1 of our 1 students practised, 4 sessions in all." in summary.group(1)


async def test_another_teachers_class_is_403_with_nothing_of_it(
    web: Web, two_teachers: tuple[SchoolClass, SchoolClass]
) -> None:
    _, eight_a = two_teachers
    page = await web.client.get(f"/teach/classes/{eight_a.class_id}?lang=en")
    assert page.status_code == 403
    assert "This class belongs to another teacher." in page.text
    for secret in ("Eight A", eight_a.join_code, "Arif", "Karim Sir"):
        assert secret not in page.text
    listing = await web.client.get("/teach/")
    assert "Seven B" in listing.text and "Eight A" not in listing.text
    assert (await web.client.get("/teach/classes/999999")).status_code == 404


async def test_a_student_appears_only_after_joining_and_is_gone_after_leaving(web: Web) -> None:
    async with get_session() as db:
        school = await make_school(db)
    teacher, seven_b = await teacher_with_class(881003, "Ayesha", "Seven B")
    await sign_in_teacher(web.client, teacher.teacher_id, NOW)
    url = f"/teach/classes/{seven_b.class_id}?lang=en"
    assert "Mitu" not in (await web.client.get(url)).text
    async with get_session() as db:
        await classes.join_class(db, school.students["Mitu"], seven_b.join_code, NOW)
    assert "Mitu" in (await web.client.get(url)).text
    async with get_session() as db:
        await classes.leave_class(db, school.students["Mitu"], seven_b.join_code)
    assert "Mitu" not in (await web.client.get(url)).text


async def test_a_teacher_creates_a_class_and_gets_its_join_code(web: Web) -> None:
    async with get_session() as db:
        teacher = await classes.add_teacher(db, telegram_id=881004, name="Ayesha")
    await sign_in_teacher(web.client, teacher.teacher_id, NOW)
    page = await web.client.get("/teach/?lang=en")
    refused = await web.client.post("/teach/classes", data={"name": "7 C", "grade": "7"})
    assert refused.status_code == 403  # no CSRF token
    made = await web.client.post(
        "/teach/classes", data={"name": "7 C", "grade": "7", "csrf_token": csrf_of(page.text)}
    )
    assert made.status_code == 303
    created = await web.client.get(made.headers["location"] + "&lang=en")
    code = re.search(r'id="join-code">([A-Z0-9]{6})<', created.text)
    assert code is not None and f"Students send /class {code.group(1)}" in created.text
    twice = await web.client.post("/teach/classes", data={"name": "7 C", "csrf_token": csrf_of(page.text)})
    assert twice.status_code == 409


async def test_the_weekly_summary_in_bengali(web: Web) -> None:
    async with get_session() as db:
        school = await make_school(db)
    teacher, seven_b = await teacher_with_class(881005, "Ayesha", "Seven B")
    async with get_session() as db:
        for name in ("Rahim", "Mitu", "Tanvir"):
            await classes.join_class(db, school.students[name], seven_b.join_code, NOW)
    await sign_in_teacher(web.client, teacher.teacher_id, NOW)
    page = await web.client.get(f"/teach/classes/{seven_b.class_id}?lang=bn")
    summary = re.search(r'id="summary">(.*?)</section>', page.text, flags=re.S)
    assert summary is not None
    text = summary.group(1)
    assert "৩ জনের মধ্যে ২ জন অনুশীলন করেছে, মোট ৮টি অনুশীলন" in text  # Rahim and Mitu, Mon-Thu each
    assert "Mitu (টানা ২৫ দিন)" in text
    assert not re.search(r"[0-9]", re.sub(r"<[^>]+>", "", text))


async def test_the_operator_adds_a_teacher_from_the_dashboard(web: Web) -> None:
    await web.sign_in()
    page = await web.client.get("/admin/dashboard/teachers?lang=en")
    csrf = csrf_of(page.text)
    bad = await web.client.post(
        "/admin/dashboard/teachers", data={"name": "X", "telegram_id": "abc", "csrf_token": csrf}
    )
    assert bad.status_code == 422
    added = await web.client.post(
        "/admin/dashboard/teachers",
        data={"name": "Ayesha Khatun", "telegram_id": "৮৮১০০৬", "csrf_token": csrf},
    )
    assert added.status_code == 303
    shown = await web.client.get(added.headers["location"] + "&lang=en")
    assert "Teacher added: Ayesha Khatun." in shown.text and "881006" in shown.text
    twice = await web.client.post(
        "/admin/dashboard/teachers", data={"name": "Ayesha", "telegram_id": "881006", "csrf_token": csrf}
    )
    assert twice.status_code == 409
    unsigned = httpx.AsyncClient(transport=httpx.ASGITransport(app=web.app), base_url="http://127.0.0.1")
    async with unsigned:
        assert (
            await unsigned.post("/admin/dashboard/teachers", data={"csrf_token": csrf})
        ).status_code == 303
