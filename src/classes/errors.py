"""The classes domain's errors (the web pages and the bot each say them in their own words)."""

from __future__ import annotations

from src.errors import Conflict, DarsError, InvalidInput, NotFound


class TeacherExists(Conflict):
    code = "teacher_exists"


class TeacherNotFound(NotFound):
    code = "teacher_not_found"


class ClassNameTaken(Conflict):
    code = "class_name_taken"


class ClassNotFound(NotFound):
    code = "class_not_found"


class NotYourClass(DarsError):
    """The class exists but belongs to another teacher."""

    code = "not_your_class"
    status = 403


class UnknownJoinCode(NotFound):
    code = "unknown_join_code"


class BadClassInput(InvalidInput):
    code = "invalid_class"


class LoginLinkInvalid(DarsError):
    """Unknown, used or expired sign-in link."""

    code = "login_link_invalid"
    status = 401
