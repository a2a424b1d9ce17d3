"""Practice errors: each names what went wrong in words a channel can pass on."""

from __future__ import annotations

from datetime import datetime

from src.errors import Conflict, NotFound


class StudentNotFound(NotFound):
    code = "student_not_found"


class AlreadyRegistered(Conflict):
    code = "already_registered"


class SessionNotFound(NotFound):
    code = "session_not_found"


class SessionExpired(Conflict):
    code = "session_expired"

    def __init__(self, expires_at: datetime) -> None:
        super().__init__(
            f"this session expired at {expires_at.isoformat()}; start a new one",
            expires_at=expires_at.isoformat(),
        )
        self.expires_at = expires_at


class SessionClosed(Conflict):
    code = "session_closed"


class ProblemNotCurrent(Conflict):
    code = "problem_not_current"


class NoHintsLeft(Conflict):
    code = "no_hints_left"


class NoProblemsAvailable(Conflict):
    code = "no_problems"
