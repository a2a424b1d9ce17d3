"""Domain errors shared by every door (API maps them to HTTP statuses, the bot to friendly messages)."""

from __future__ import annotations

from typing import Any


class DarsError(Exception):
    """Base of every error a student or operator can cause; `code` is stable, `message` is English."""

    code = "error"
    status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DarsError):
    code = "not_found"
    status = 404


class Conflict(DarsError):
    code = "conflict"
    status = 409


class InvalidInput(DarsError):
    code = "invalid_input"
    status = 422
