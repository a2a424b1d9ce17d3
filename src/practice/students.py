"""Students: registration by Telegram account, profile changes, lookup by Telegram id."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from src.driver import adopt_row, driver, select_list
from src.errors import InvalidInput, NotFound
from src.models import Student
from src.practice.errors import AlreadyRegistered
from src.practice.service import get_student

GRADES = (6, 7, 8)
LANGUAGES = ("bn", "en")
MAX_NAME_LENGTH = 100


class NotRegistered(NotFound):
    code = "not_registered"


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("name must not be empty", field="name")
    if len(cleaned) > MAX_NAME_LENGTH or "\x00" in cleaned:
        raise InvalidInput(f"name must be at most {MAX_NAME_LENGTH} characters of text", field="name")
    return cleaned


def _check_grade(grade: int) -> int:
    if isinstance(grade, bool) or grade not in GRADES:
        raise InvalidInput("grade must be 6, 7 or 8", field="grade", value=grade)
    return grade


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise InvalidInput("language must be 'bn' or 'en'", field="language", value=language)
    return language


_ID_BY_TELEGRAM_ID = "SELECT student_id FROM students WHERE telegram_id = $1"
_BY_TELEGRAM_ID = f"SELECT {select_list(Student, 's')} FROM students AS s WHERE s.telegram_id = $1"


async def find_by_telegram_id(db: AsyncSession, telegram_id: int) -> Student | None:
    """The student registered with this Telegram account, if any. Every API request and bot update
    starts here, so it is sent on the session's own asyncpg connection (src/driver.py)."""
    row = await (await driver(db)).fetchrow(_BY_TELEGRAM_ID, telegram_id)
    if row is None:
        return None
    return adopt_row(db, Student, row)


async def student_id_for_telegram(db: AsyncSession, telegram_id: int) -> int:
    """The id of the student of this Telegram account, or NotRegistered (404): for the practice routes,
    which need only the id (no row to load and track)."""
    student_id: int | None = await (await driver(db)).fetchval(_ID_BY_TELEGRAM_ID, telegram_id)
    if student_id is None:
        raise NotRegistered("this Telegram account has not registered yet", telegram_id=telegram_id)
    return student_id


async def student_for_telegram(db: AsyncSession, telegram_id: int) -> Student:
    """The student of this Telegram account, or NotRegistered (404)."""
    student = await find_by_telegram_id(db, telegram_id)
    if student is None:
        raise NotRegistered("this Telegram account has not registered yet", telegram_id=telegram_id)
    return student


async def register_student(
    db: AsyncSession, telegram_id: int, name: str, grade: int, language: str = "bn"
) -> Student:
    """A new student for this Telegram account; AlreadyRegistered when it has one (race-safe)."""
    values = {
        "telegram_id": telegram_id,
        "name": _clean_name(name),
        "grade": _check_grade(grade),
        "language": _check_language(language),
    }
    # Asked first because an INSERT takes the next student id before it meets the conflict: a duplicate
    # registration would use one up. ON CONFLICT DO NOTHING still settles a race between two concurrent
    # registrations (the second waits, then gets no row), at the cost of an id only then.
    if await find_by_telegram_id(db, telegram_id) is not None:
        raise AlreadyRegistered("this Telegram account is already registered", telegram_id=telegram_id)
    student_id = (
        await db.execute(
            insert(Student)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[Student.telegram_id])
            .returning(Student.student_id)
        )
    ).scalar_one_or_none()
    if student_id is None:
        raise AlreadyRegistered("this Telegram account is already registered", telegram_id=telegram_id)
    return await get_student(db, student_id)


async def update_profile(
    db: AsyncSession,
    student_id: int,
    *,
    name: str | None = None,
    grade: int | None = None,
    language: str | None = None,
) -> Student:
    """Change the given fields of a student's profile (None leaves a field as it is)."""
    student = await get_student(db, student_id, lock=True)
    if name is not None:
        student.name = _clean_name(name)
    if grade is not None:
        student.grade = _check_grade(grade)
    if language is not None:
        student.language = _check_language(language)
    await db.flush()
    return student
