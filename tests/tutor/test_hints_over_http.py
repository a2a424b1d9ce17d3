"""AI hints through the HTTP API: what a student's client gets when the model's text is odd."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from src.api.dependencies import answer_judge, hint_source
from src.database import get_session
from src.models import HintView
from src.tutor.provider import ClaudeProvider
from tests.api.conftest import Api, Register
from tests.tutor.fake_messages_api import FakeMessagesApi, Reply
from tests.tutor.support import cost_records, tutor_settings


@pytest.mark.usefixtures("answers")  # the library the session is drawn from
async def test_an_ai_hint_with_a_nul_character_is_served_not_a_500(api: Api, register: Register) -> None:
    fake = FakeMessagesApi()
    provider = ClaudeProvider.from_settings(
        tutor_settings(), http_client=fake.client(), clock=lambda: api.clock.now
    )
    api.app.dependency_overrides[hint_source] = lambda: provider
    api.app.dependency_overrides[answer_judge] = lambda: provider
    await register(921, language="en")
    client = api.client(raise_app_exceptions=False)
    headers = api.student(921)
    session_id = (await client.post("/sessions/today", headers=headers)).json()["session_id"]
    answered = await client.post(f"/sessions/{session_id}/answers", json={"answer": "99999"}, headers=headers)
    assert answered.status_code == 200 and answered.json()["verdict"] == "wrong"

    fake.then(
        Reply("Read the question again and decide which quantity\u0000 it asks for, then check the rule.")
    )
    response = await client.post(f"/sessions/{session_id}/hints", headers=headers)

    # PostgreSQL refuses NUL in text: storing this hint made the request fail with 500.
    assert response.status_code == 200, response.text
    hint = response.json()["hint"]
    expected = "Read the question again and decide which quantity it asks for, then check the rule."
    assert hint["text"]["en"] == expected
    async with get_session() as db:
        view = (await db.scalars(select(HintView))).one()
        assert view.is_ai_generated and view.text_en == expected  # what a later GET shows, stored clean
        assert len(await cost_records(db)) == 1 and fake.calls == 1
