"""The operators' pages over a small fixed school: what each shows, in both languages, and how light."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from src.costs.report import monthly_report
from src.costs.service import record_refusal
from src.database import get_session
from src.models import CostOperation
from tests.web.conftest import Web
from tests.web.data import MONTH, NOW, make_school

PAGES = [
    "/admin/",
    f"/admin/dashboard/costs?month={MONTH}",
    "/admin/dashboard/learning",
    "/admin/dashboard/health",
    "/admin/dashboard/teachers",
]
LATIN_DIGIT = re.compile(r"[0-9]")
BENGALI_DIGIT = re.compile(r"[০-৯]")


@pytest.fixture
async def school(web: Web) -> Web:
    async with get_session() as db:
        school = await make_school(db)
        for day in (20, 21):  # Arif went over: the tutor refused him two calls in April, one in May
            await record_refusal(
                db,
                student_id=school.students["Arif"],
                operation=CostOperation.HINT_GENERATION,
                now=datetime(2026, 4, day, 12, tzinfo=UTC),
            )
        await record_refusal(
            db, student_id=school.students["Arif"], operation=CostOperation.HINT_GENERATION, now=NOW
        )
    await web.sign_in()
    return web


def visible_text(html: str) -> str:
    """The page's text, without tags, attributes, the stylesheet link and the SVG geometry."""
    html = re.sub(r"<(svg|head)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<code\b.*?</code>", " ", html, flags=re.S)  # ids, answers, commands: as written
    return re.sub(r"<[^>]+>", " ", html)


def stat(html: str, key: str) -> str:
    found = re.search(rf'data-key="{key}">([^<]*)<', html)
    assert found is not None, key
    return found.group(1)


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_is_light_and_loads_nothing_from_another_site(school: Web, path: str) -> None:
    page = await school.client.get(path)
    assert page.status_code == 200, page.text[:300]
    css = await school.client.get("/static/dars.css")
    assert css.status_code == 200
    assert len(page.content) + len(css.content) < 100_000
    # No script at all, and every address is this site's own.
    assert "<script" not in page.text
    for address in re.findall(r'(?:href|src|action)="([^"]*)"', page.text):
        assert address.startswith(("/", "?", "#")), address
    assert "default-src 'none'" in page.headers["content-security-policy"]


async def test_the_overview_counts_students_activity_streaks_and_milestones(school: Web) -> None:
    page = (await school.client.get("/admin/?lang=en")).text
    assert stat(page, "registered") == "7"
    # NOW is 1 May, 10:00 in Dhaka: the last practice of everyone was on 30 April.
    assert stat(page, "active-today") == "0"
    assert stat(page, "active-7") == "6"
    assert stat(page, "active-30") == "6"
    assert 'id="chart-sessions"' in page and 'id="chart-streaks"' in page
    milestones = re.search(r'<table id="milestones">.*?</table>', page, flags=re.S)
    assert milestones is not None
    rows = re.findall(r"<th scope=\"row\">(\d+) days</th><td class=\"num\">(\d+)</td>", milestones.group(0))
    assert rows[:2] == [("7", "5"), ("14", "3")]  # 7+: all but Sadia and Tanvir; 14+: Rahim, Mitu, Arif


async def test_the_costs_page_shows_the_reports_numbers(school: Web) -> None:
    page = (await school.client.get(f"/admin/dashboard/costs?month={MONTH}&lang=en")).text
    async with get_session() as db:
        report = await monthly_report(db, MONTH)
    assert stat(page, "mean") == f"${report.mean_usd:.4f}"
    assert stat(page, "median") == f"${report.median_usd:.4f}"
    assert stat(page, "p95") == f"${report.p95_usd:.4f}"
    assert stat(page, "max") == f"${report.max_usd:.4f}"
    assert stat(page, "total") == f"${report.total_usd:.4f}"
    assert stat(page, "over-budget") == str(report.over_budget) == "1"  # Arif
    assert stat(page, "near-budget") == "1"  # Mitu
    assert stat(page, "calls") == str(report.calls)
    assert stat(page, "budget-refusals") == "2"
    assert "Over the target" in page
    assert 'id="chart-cost-per-student"' in page and 'class="marker"' in page


async def test_a_bad_month_is_explained_and_the_current_month_shown(school: Web) -> None:
    page = await school.client.get("/admin/dashboard/costs?month=2026-13&lang=en")
    assert page.status_code == 200
    assert "Pick a month as YYYY-MM." in page.text
    assert "AI costs for May 2026" in page.text


async def test_the_learning_page_lists_the_problems_to_look_at(school: Web) -> None:
    page = (await school.client.get("/admin/dashboard/learning?lang=en")).text
    assert 'id="heat"' in page
    assert "/admin/dashboard/problems/" in page
    problem_id = re.search(r'href="/admin/dashboard/problems/(\d+)"', page)
    assert problem_id is not None
    problem = await school.client.get(f"/admin/dashboard/problems/{problem_id.group(1)}")
    assert problem.status_code == 200 and "question" in problem.text


async def test_the_health_page_reports_the_database_and_the_bot(school: Web) -> None:
    page = (await school.client.get("/admin/dashboard/health?lang=en")).text
    assert re.search(r'id="health-database".*?class="good">answers<', page, flags=re.S)
    assert "off (TELEGRAM_BOT_TOKEN not set)" in page
    assert "has not run yet" in page


@pytest.mark.parametrize("path", PAGES)
async def test_in_bengali_every_number_is_in_bengali_digits(school: Web, path: str) -> None:
    sep = "&" if "?" in path else "?"
    response = await school.client.get(f"{path}{sep}lang=bn")
    assert response.status_code == 200
    text = visible_text(response.text)
    # Latin digits only where they are names: ADMIN_TOKEN-like identifiers and YYYY-MM.
    leftovers = [m for m in re.findall(r"\S*[0-9]\S*", text) if "YYYY" not in m]
    assert leftovers == [], leftovers[:10]
    if not path.endswith(("/health", "/teachers")):  # no job has run, no teacher: nothing to count there
        assert BENGALI_DIGIT.search(text)
    assert 'lang="bn"' in response.text


async def test_the_language_choice_is_remembered(school: Web) -> None:
    await school.client.get("/admin/?lang=en")
    assert "Overview" in (await school.client.get("/admin/")).text
    await school.client.get("/admin/?lang=bn")
    assert "সারসংক্ষেপ" in (await school.client.get("/admin/")).text
