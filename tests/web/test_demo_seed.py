"""`dars demo seed`: simulated students through the real services, and the dashboard shows them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bench.demo_seed import seed
from src.costs.report import monthly_report
from src.database import get_session
from src.models import ClassMembership, SessionStatus, Student
from src.models import Session as PracticeSession
from tests.web.conftest import Web


async def test_the_demo_fills_a_month_the_dashboard_can_show(web: Web) -> None:
    summary = await seed(students=5, days=4, until=date(2026, 4, 30), teacher_telegram_id=883001)
    assert summary.students == 5 and summary.first_day == date(2026, 4, 27)
    async with get_session() as db:
        students = (await db.execute(select(func.count()).select_from(Student))).scalar_one()
        completed = (
            await db.execute(select(func.count()).where(PracticeSession.status == SessionStatus.COMPLETED))
        ).scalar_one()
        members = (await db.execute(select(func.count()).select_from(ClassMembership))).scalar_one()
        report = await monthly_report(db, "2026-04")
    assert students == 5 and members == 5
    assert completed == summary.sessions > 0  # each simulated day's session is finished through the services
    assert report.calls == summary.ai_calls > 0  # every fake Claude call was recorded as a cost
    await web.sign_in()
    page = (await web.client.get("/admin/dashboard/costs?month=2026-04&lang=en")).text
    assert f'data-key="calls">{report.calls}<' in page

    again = await seed(students=2, days=1, until=date(2026, 4, 30), teacher_telegram_id=883001)
    assert again.students == 2 and again.join_code == summary.join_code  # seeding twice adds, never clashes
