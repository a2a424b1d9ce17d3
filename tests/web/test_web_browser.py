"""The pages in a real browser: Debian's chromium, driven by Playwright, against a real uvicorn."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from src.database import get_session
from tests.web.conftest import ADMIN_TOKEN
from tests.web.data import MONTH, make_school
from tests.web.png import share_near

BAR_BLUE = (0x1F, 0x6F, 0xEB)  # --accent in dars.css: the bars' colour
CHARTS = {
    "/admin/": ["chart-sessions", "chart-streaks"],
    f"/admin/dashboard/costs?month={MONTH}": ["chart-cost-per-student", "chart-cost-trend"],
    "/admin/dashboard/learning": ["chart-hints"],
}
OTHER_PAGES = ["/admin/dashboard/health", "/admin/dashboard/teachers"]


@pytest.fixture
async def school(page: Any) -> Any:
    async with get_session() as db:
        await make_school(db)
    return page


async def sign_in(page: Any, token: str = ADMIN_TOKEN) -> None:
    await page.goto("/admin/?lang=en")
    assert page.url.endswith("/admin/login")  # no session yet: sent to the login
    await page.fill("#token", token)
    async with page.expect_navigation():
        await page.click("button[type=submit]")


async def test_log_in_and_out(school: Any) -> None:
    page = school
    await sign_in(page)
    await page.wait_for_selector("h1")
    assert page.url.endswith("/admin/")
    assert await page.inner_text("h1") == "Overview"
    cookies = await page.context.cookies()
    session = next(c for c in cookies if c["name"] == "dars_admin")
    assert session["httpOnly"] and session["sameSite"] == "Lax" and session["path"] == "/admin"
    async with page.expect_navigation():
        await page.click("text=Sign out")
    await page.wait_for_selector("text=You are signed out.")
    await page.goto("/admin/dashboard/costs")
    assert page.url.endswith("/admin/login")


async def test_a_wrong_token_stays_on_the_login(school: Any) -> None:
    page = school
    await sign_in(page, "wrong")
    await page.wait_for_selector("[role=alert]")
    assert "not valid" in await page.inner_text("[role=alert]")
    assert not [c for c in await page.context.cookies() if c["name"] == "dars_admin"]


async def test_a_form_without_its_csrf_token_is_refused(school: Any) -> None:
    page = school
    await page.goto("/admin/login?lang=en")
    await page.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    await page.fill("#token", ADMIN_TOKEN)
    async with page.expect_response(lambda r: r.request.method == "POST") as posted:
        await page.click("button[type=submit]")
    assert (await posted.value).status == 403
    assert "did not come from this site" in await page.inner_text("[role=alert]")
    await page.goto("/admin/")
    assert page.url.endswith("/admin/login")


async def test_every_page_renders_with_its_charts(school: Any) -> None:
    page = school
    await sign_in(page)
    await page.wait_for_selector("h1")
    for path, charts in CHARTS.items():
        response = await page.goto(path)
        assert response.status == 200, path
        for chart in charts:
            bars = page.locator(f"#{chart} rect.bar")
            assert await bars.count() > 0, (path, chart)
            heights = [
                box["height"]
                for box in [await bars.nth(i).bounding_box() for i in range(await bars.count())]
                if box
            ]
            assert max(heights) > 10, (path, chart, heights)  # drawn, and tall enough to see
            table = page.locator(f"#{chart} details table tbody tr")
            assert await table.count() == await bars.count()  # every bar's number, for screen readers
    for path in OTHER_PAGES:
        response = await page.goto(path)
        assert response.status == 200, path
        assert await page.locator("main h1").count() == 1


async def test_the_chart_is_on_the_screen(school: Any) -> None:
    """Screenshot check: the chart's region holds the bars' colour. It fails if the chart is missing or
    drawn empty (a region without bars has none of that blue)."""
    page = school
    await sign_in(page)
    await page.wait_for_selector("#chart-sessions svg")
    for chart in ("chart-sessions", "chart-streaks"):
        shot = await page.locator(f"#{chart} svg").screenshot()
        assert share_near(shot, BAR_BLUE) > 0.03, chart
    header = await page.locator("header").screenshot()
    assert share_near(header, BAR_BLUE) < 0.03  # the check tells a chart from the page around it


async def test_the_costs_page_equals_dars_costs_report(school: Any) -> None:
    page = school
    await sign_in(page)
    await page.wait_for_selector("h1")
    await page.goto(f"/admin/dashboard/costs?month={MONTH}&lang=en")
    cli = await asyncio.to_thread(
        subprocess.run,
        [str(Path(sys.executable).with_name("dars")), "costs", "report", "--month", MONTH],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=True,
        timeout=120,
    )
    printed = cli.stdout
    total, mean, median, p95, highest = re.search(
        r"total \$([\d.]+); per student mean \$([\d.]+), median \$([\d.]+), p95 \$([\d.]+), max \$([\d.]+)",
        printed,
    ).groups()  # type: ignore[union-attr]
    registered, active, calls = re.search(
        r"students: (\d+) registered, (\d+) active; (\d+) paid calls", printed
    ).groups()  # type: ignore[union-attr]
    over = re.search(r"students over budget: (\d+)", printed).group(1)  # type: ignore[union-attr]

    async def shown(key: str) -> str:
        return (await page.inner_text(f'[data-key="{key}"]')).strip()

    assert await shown("total") == f"${total}"
    assert await shown("mean") == f"${mean}"
    assert await shown("median") == f"${median}"
    assert await shown("p95") == f"${p95}"
    assert await shown("max") == f"${highest}"
    assert await shown("students") == registered
    assert await shown("active") == active
    assert await shown("calls") == calls
    assert await shown("over-budget") == over
    for name, value in re.findall(r"by operation: (\w+) \$([\d.]+)", printed):
        row = await page.inner_text(f"#operation-{name}")
        assert f"${value}" in row, (name, row)
    verdict = "Within the target" if "WITHIN TARGET" in printed else "Over the target"
    assert verdict in await page.inner_text("#verdict")


async def test_the_bengali_switch_shows_bengali_digits(school: Any) -> None:
    page = school
    await sign_in(page)
    await page.wait_for_selector("h1")
    await page.goto(f"/admin/dashboard/costs?month={MONTH}&lang=en")
    assert re.fullmatch(r"\$[0-9.]+", (await page.inner_text('[data-key="mean"]')).strip())
    async with page.expect_navigation():
        await page.click("a.lang")
    await page.wait_for_selector("html[lang=bn]")
    mean = (await page.inner_text('[data-key="mean"]')).strip()
    assert re.fullmatch(r"\$[০-৯.]+", mean), mean
    assert await page.inner_text("h1") == "এপ্রিল ২০২৬ মাসের এআই খরচ"
    # The choice sticks: the next page is in Bengali too.
    async with page.expect_navigation():
        await page.click("text=সারসংক্ষেপ")
    await page.wait_for_selector("h1")
    registered = (await page.inner_text('[data-key="registered"]')).strip()
    assert registered == "৭"


async def test_readable_on_a_phone(browser: Any, server: Any, committed: None) -> None:
    async with get_session() as db:
        await make_school(db)
    context = await browser.new_context(
        viewport={"width": 360, "height": 740},
        base_url=server.base_url,
        is_mobile=True,
        device_scale_factor=2,
    )
    try:
        page = await context.new_page()
        await sign_in(page)
        await page.wait_for_selector("h1")
        for path in [*CHARTS, *OTHER_PAGES]:
            await page.goto(path)
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, (path, width)  # nothing wider than the phone (wide tables scroll inside)
            font = await page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert font >= 16
    finally:
        await context.close()


async def test_a_teacher_cannot_open_another_teachers_class(school: Any) -> None:
    from src.classes import service as classes
    from tests.web.data import NOW

    page = school
    async with get_session() as db:
        ayesha = await classes.add_teacher(db, telegram_id=882001, name="Ayesha")
        mine = await classes.create_class(db, ayesha.teacher_id, "Seven B", 7)
        karim = await classes.add_teacher(db, telegram_id=882002, name="Karim Sir")
        theirs = await classes.create_class(db, karim.teacher_id, "Eight A", 8)
        token = await classes.issue_login_link(db, ayesha.teacher_id, NOW)
    await page.goto(f"/teach/login/{token}?lang=en")
    async with page.expect_navigation():
        await page.click("button[type=submit]")
    assert page.url.endswith("/teach/")
    assert "Seven B" in await page.inner_text("main")
    response = await page.goto(f"/teach/classes/{theirs.class_id}")
    assert response.status == 403
    html = await page.content()
    assert "another teacher" in html
    for secret in ("Eight A", theirs.join_code, "Karim Sir"):
        assert secret not in html
    response = await page.goto(f"/teach/classes/{mine.class_id}")
    assert response.status == 200 and mine.join_code in await page.inner_text("#join-code")
