"""An in-process fake of the Telegram Bot API, and a fake student who writes real update JSON.

`FakeBotApi` answers the methods the bot uses with the JSON the real Bot API returns, records every request,
keeps each chat's messages (so editing a message to its current content fails with the real 400 "message
is not modified"), and can be told to fail: a chat that blocked the bot (403), flood control in one chat
or for the whole bot (429 with retry_after), or any scripted error. Plug it into PTB's own HTTP layer:

    request = HTTPXRequest(httpx_kwargs={"transport": httpx.MockTransport(fake.handle)})

It serves `dars chat` (the bot in a terminal), the tests and the webhook benchmark: no network anywhere.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx

BOT_ID = 7_000_000_001
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Dars",
    "username": "dars_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
_JSON_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "reply_markup",
        "allowed_updates",
        "show_alert",
        "cache_time",
        "drop_pending_updates",
        "max_connections",
        "offset",
        "limit",
        "timeout",
        "entities",
        "link_preview_options",
        "commands",
    }
)
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
BLOCKED = "Forbidden: bot was blocked by the user"


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    at: float  # time.monotonic() when it arrived
    message_id: int | None = None  # of the message a successful sendMessage created
    status: int = 200  # the HTTP status the fake answered with

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return value if isinstance(value, int) else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of every inline button, row by row."""
        markup = self.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        return [(button["text"], button.get("callback_data", "")) for row in rows for button in row]


@dataclass
class Failure:
    status: int
    description: str
    retry_after: int | None = None


@dataclass
class StoredMessage:
    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None


@dataclass
class FakeBotApi:
    """The Bot API as PTB sees it over HTTP. `latency` (seconds) is added to every answer."""

    latency: float = 0.0
    calls: list[ApiCall] = field(default_factory=list)
    messages: dict[tuple[int, int], StoredMessage] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    on_call: Callable[[ApiCall], None] | None = None
    updates: list[dict[str, Any]] = field(default_factory=list)  # waiting for getUpdates (long polling)
    _by_chat: dict[int | None, list[ApiCall]] = field(default_factory=dict)
    _failures: list[tuple[str, int | None, Failure]] = field(default_factory=list)
    _message_ids: dict[int, itertools.count[int]] = field(default_factory=dict)
    _flood_until: float = 0.0
    _flood_retry_after: int = 1

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    # --- scripting ------------------------------------------------------------------------------------

    def block(self, chat_id: int) -> None:
        """From now on every message to this chat fails with 403, as when a student blocks the bot."""
        self.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self.blocked.discard(chat_id)

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` (to `chat_id`, if given) fail with this error."""
        for _ in range(times):
            self._failures.append((method, chat_id, Failure(status, description, retry_after)))

    def flood(self, method: str = "sendMessage", *, retry_after: int = 1, times: int = 1) -> None:
        self.fail_next(
            method,
            status=429,
            description=f"Too Many Requests: retry after {retry_after}",
            retry_after=retry_after,
            times=times,
        )

    def flood_the_bot(self, *, seconds: float, retry_after: int = 1) -> None:
        """For `seconds` from now, every message to any chat is refused with 429 (the bot's own limit)."""
        self._flood_until = time.monotonic() + seconds
        self._flood_retry_after = retry_after

    # --- reading --------------------------------------------------------------------------------------

    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[ApiCall]:
        calls = self.calls if chat_id is None else self._by_chat.get(chat_id, [])
        return [c for c in calls if c.method == method]

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [call.text for call in self.sent(chat_id)]

    def last(self, chat_id: int | None = None) -> ApiCall:
        sent = self.sent(chat_id)
        if not sent:
            raise AssertionError(f"nothing was sent to chat {chat_id}")
        return sent[-1]

    def last_with_buttons(self, chat_id: int | None = None) -> ApiCall:
        """The latest message with buttons as the chat shows it now (edits applied), as the sendMessage call
        that would have sent it so."""
        for call in reversed(self.sent(chat_id)):
            if call.message_id is None or call.chat_id is None:
                continue
            stored = self.messages.get((call.chat_id, call.message_id))
            if stored is not None and stored.reply_markup and stored.reply_markup.get("inline_keyboard"):
                params = {"chat_id": stored.chat_id, "text": stored.text, "reply_markup": stored.reply_markup}
                return ApiCall("sendMessage", params, call.at, stored.message_id)
        raise AssertionError(f"no message with buttons is shown in chat {chat_id}")

    def shown(self, chat_id: int, message_id: int) -> str:
        """A message's text as the chat shows it now (edits applied)."""
        return self.messages[(chat_id, message_id)].text

    def clear(self) -> None:
        self.calls.clear()
        self._by_chat.clear()

    # --- the HTTP side --------------------------------------------------------------------------------

    async def handle(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[-1]
        params = self._params(request)
        call = ApiCall(method, params, time.monotonic())
        self.calls.append(call)
        self._by_chat.setdefault(call.chat_id, []).append(call)
        if self.on_call is not None:
            self.on_call(call)
        if self.latency:
            await asyncio.sleep(self.latency)
        if method == "getUpdates" and not self.updates:
            await asyncio.sleep(0.02)  # a long poll with nothing to say, shortened
        failure = self._take_failure(method, call.chat_id)
        if failure is None and method.startswith(("send", "edit")) and call.at < self._flood_until:
            retry = self._flood_retry_after
            failure = Failure(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        if failure is None and call.chat_id in self.blocked and method != "answerCallbackQuery":
            failure = Failure(403, BLOCKED)
        response = _error(failure) if failure is not None else self._answer(call)
        call.status = response.status_code
        return response

    @staticmethod
    def _params(request: httpx.Request) -> dict[str, Any]:
        body = request.content.decode("utf-8") if request.content else ""
        params: dict[str, Any] = {}
        for key, value in parse_qsl(body, keep_blank_values=True):
            if key in _JSON_FIELDS:
                try:
                    params[key] = json.loads(value)
                    continue
                except ValueError:
                    pass
            params[key] = value
        return params

    def _take_failure(self, method: str, chat_id: int | None) -> Failure | None:
        for index, (wanted, wanted_chat, failure) in enumerate(self._failures):
            if wanted == method and (wanted_chat is None or wanted_chat == chat_id):
                del self._failures[index]
                return failure
        return None

    def _answer(self, call: ApiCall) -> httpx.Response:
        method, params = call.method, call.params
        if method == "getMe":
            return _ok(BOT_USER)
        if method == "sendMessage":
            stored = self._send(params)
            call.message_id = stored.message_id
            return _ok(_message_json(stored))
        if method in ("editMessageText", "editMessageReplyMarkup"):
            return self._edit(method, params)
        if method == "getUpdates":
            return _ok(self._poll(params))
        if method == "getWebhookInfo":
            return _ok({"url": "", "has_custom_certificate": False, "pending_update_count": 0})
        # answerCallbackQuery, setWebhook, deleteWebhook, setMyCommands, close, logOut ...
        return _ok(True)

    def _poll(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = params.get("offset")
        if isinstance(offset, int):  # confirmed: Telegram forgets updates below the offset
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        return list(self.updates)

    def _send(self, params: dict[str, Any]) -> StoredMessage:
        chat_id = int(params["chat_id"])
        message_id = next(self._message_ids.setdefault(chat_id, itertools.count(1)))
        markup = params.get("reply_markup") if isinstance(params.get("reply_markup"), dict) else None
        stored = StoredMessage(chat_id, message_id, str(params.get("text", "")), markup)
        self.messages[(chat_id, message_id)] = stored
        return stored

    def _edit(self, method: str, params: dict[str, Any]) -> httpx.Response:
        key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        stored = self.messages.get(key)
        if stored is None:
            return _error(Failure(400, "Bad Request: message to edit not found"))
        markup = params.get("reply_markup") if isinstance(params.get("reply_markup"), dict) else None
        text = str(params["text"]) if method == "editMessageText" else stored.text
        if text == stored.text and (markup or None) == (stored.reply_markup or None):
            return _error(Failure(400, NOT_MODIFIED))
        stored.text, stored.reply_markup = text, markup
        return _ok(_message_json(stored) | {"edit_date": int(time.time())})


def _message_json(stored: StoredMessage) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": stored.message_id,
        "from": BOT_USER,
        "chat": {"id": stored.chat_id, "type": "private", "first_name": "Student"},
        "date": int(time.time()),
        "text": stored.text,
    }
    if stored.reply_markup:
        message["reply_markup"] = stored.reply_markup
    return message


def _ok(result: Any) -> httpx.Response:
    return httpx.Response(200, json={"ok": True, "result": result})


def _error(failure: Failure) -> httpx.Response:
    body: dict[str, Any] = {"ok": False, "error_code": failure.status, "description": failure.description}
    if failure.retry_after is not None:
        body["parameters"] = {"retry_after": failure.retry_after}
    return httpx.Response(failure.status, json=body)


# --- a student on the other side ------------------------------------------------------------------------

_update_ids = itertools.count(int(time.time() * 1000))


def next_update_id() -> int:
    """Unique across runs of one machine (milliseconds at import, then +1): the database keeps seen ids."""
    return next(_update_ids)


@dataclass
class FakeStudent:
    """Writes the update JSON Telegram would deliver for one student in a private chat."""

    user_id: int
    first_name: str = "Rahim"
    language_code: str = "bn"

    @property
    def chat_id(self) -> int:
        return self.user_id  # a private chat's id is the user's id

    def _user(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }

    def _chat(self) -> dict[str, Any]:
        return {"id": self.chat_id, "type": "private", "first_name": self.first_name}

    def message(
        self, text: str, *, update_id: int | None = None, message_id: int | None = None
    ) -> dict[str, Any]:
        """A text message; a leading /command gets its bot_command entity, as Telegram sends it."""
        message: dict[str, Any] = {
            "message_id": message_id or next_update_id() % 1_000_000_000,
            "from": self._user(),
            "chat": self._chat(),
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": update_id or next_update_id(), "message": message}

    def photo(self, caption: str | None = None, *, update_id: int | None = None) -> dict[str, Any]:
        """A photo (of the student's working, say), with the caption they typed under it, if any."""
        update = self.message("", update_id=update_id)
        message = update["message"]
        del message["text"]
        size = {"file_id": "photo-file", "file_unique_id": "photo-unique", "width": 640, "height": 480}
        message["photo"] = [size]
        if caption is not None:
            message["caption"] = caption
        return update

    def edited(self, text: str, *, message_id: int, update_id: int | None = None) -> dict[str, Any]:
        """edited_message: the student changed the text of their message `message_id` after sending it."""
        update = self.message(text, update_id=update_id, message_id=message_id)
        message = update.pop("message")
        message["edit_date"] = message["date"]
        return update | {"edited_message": message}

    def press(
        self, data: str, *, message_id: int, message_text: str = "", update_id: int | None = None
    ) -> dict[str, Any]:
        """A callback query: the student pressed the button carrying `data` under message `message_id`."""
        return {
            "update_id": update_id or next_update_id(),
            "callback_query": {
                "id": str(next_update_id()),
                "from": self._user(),
                "chat_instance": str(-self.user_id),
                "data": data,
                "message": {
                    "message_id": message_id,
                    "from": BOT_USER,
                    "chat": self._chat(),
                    "date": int(time.time()),
                    "text": message_text or "…",
                },
            },
        }

    def member_status(self, status: str, *, update_id: int | None = None) -> dict[str, Any]:
        """my_chat_member: status "kicked" when the student blocks the bot, "member" when they unblock."""
        old = "member" if status == "kicked" else "kicked"

        def member(state: str) -> dict[str, Any]:
            # A banned ("kicked") member carries until_date; 0 means forever, as for a blocked bot.
            return {"user": BOT_USER, "status": state} | ({"until_date": 0} if state == "kicked" else {})

        return {
            "update_id": update_id or next_update_id(),
            "my_chat_member": {
                "chat": self._chat(),
                "from": self._user(),
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(status),
            },
        }
