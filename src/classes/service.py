"""Teachers, classes and memberships: the rules, over the session the caller owns (flush, never commit)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from src.answers.normalize import to_ascii_digits
from src.classes.errors import (
    BadClassInput,
    ClassNameTaken,
    ClassNotFound,
    LoginLinkInvalid,
    NotYourClass,
    TeacherExists,
    TeacherNotFound,
    UnknownJoinCode,
)
from src.models import ClassMembership, SchoolClass, Teacher, TeacherLoginLink
from src.models.base import BIGINT
from src.models.school_class import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH

LOGIN_LINK_LIFETIME = timedelta(minutes=10)
NAME_MAX = 100


def _clean_name(name: str, what: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise BadClassInput(f"the {what} needs a name")
    if len(cleaned) > NAME_MAX:
        raise BadClassInput(f"the {what}'s name is longer than {NAME_MAX} characters")
    return cleaned


def sha256_hex(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_code(code: str) -> str:
    """A join code as typed (any case, spaces or a dash inside) in its stored form."""
    return to_ascii_digits("".join(code.split()).replace("-", "")).upper()


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


async def add_teacher(db: AsyncSession, *, telegram_id: int, name: str, language: str = "bn") -> Teacher:
    """A new teacher, who can then sign in from their Telegram account."""
    if isinstance(telegram_id, bool) or telegram_id not in BIGINT or telegram_id <= 0:
        raise BadClassInput("a Telegram id is a positive whole number")
    if language not in ("bn", "en"):
        raise BadClassInput("language must be bn or en")
    teacher = Teacher(telegram_id=telegram_id, name=_clean_name(name, "teacher"), language=language)
    try:
        async with db.begin_nested():
            db.add(teacher)
            await db.flush()
    except IntegrityError:
        raise TeacherExists("a teacher with this Telegram id exists", telegram_id=telegram_id) from None
    return teacher


async def list_teachers(db: AsyncSession) -> list[tuple[Teacher, int]]:
    """Every teacher with their number of classes, by name."""
    classes = (
        select(SchoolClass.teacher_id, func.count().label("n")).group_by(SchoolClass.teacher_id).subquery()
    )
    rows = await db.execute(
        select(Teacher, func.coalesce(classes.c.n, 0))
        .outerjoin(classes, classes.c.teacher_id == Teacher.teacher_id)
        .order_by(Teacher.name, Teacher.teacher_id)
    )
    return [(teacher, int(count)) for teacher, count in rows.all()]


async def teacher_for_telegram(db: AsyncSession, telegram_id: int) -> Teacher | None:
    return (await db.execute(select(Teacher).where(Teacher.telegram_id == telegram_id))).scalar_one_or_none()


async def get_teacher(db: AsyncSession, teacher_id: int) -> Teacher:
    teacher = await db.get(Teacher, teacher_id)
    if teacher is None:
        raise TeacherNotFound("no such teacher", teacher_id=teacher_id)
    return teacher


async def create_class(db: AsyncSession, teacher_id: int, name: str, grade: int | None) -> SchoolClass:
    """A class of the teacher's, with a fresh join code."""
    cleaned = _clean_name(name, "class")
    if grade is not None and grade not in (6, 7, 8):
        raise BadClassInput("a class is of grade 6, 7 or 8")
    taken = await db.execute(
        select(SchoolClass.class_id).where(SchoolClass.teacher_id == teacher_id, SchoolClass.name == cleaned)
    )
    if taken.first() is not None:
        raise ClassNameTaken("you already have a class of this name", name=cleaned)
    for _ in range(5):  # 31^6 codes: a clash is rare, and the unique index has the last word
        school_class = SchoolClass(
            teacher_id=teacher_id, name=cleaned, grade=grade, join_code=new_join_code()
        )
        try:
            async with db.begin_nested():
                db.add(school_class)
                await db.flush()
        except IntegrityError:
            db.expunge(school_class)
            continue
        return school_class
    raise ClassNameTaken("could not create the class; try again", name=cleaned)


@dataclass(frozen=True)
class ClassSummary:
    school_class: SchoolClass
    students: int


async def classes_of(db: AsyncSession, teacher_id: int) -> list[ClassSummary]:
    members = (
        select(ClassMembership.class_id, func.count().label("n"))
        .group_by(ClassMembership.class_id)
        .subquery()
    )
    rows = await db.execute(
        select(SchoolClass, func.coalesce(members.c.n, 0))
        .outerjoin(members, members.c.class_id == SchoolClass.class_id)
        .where(SchoolClass.teacher_id == teacher_id)
        .order_by(SchoolClass.name)
    )
    return [ClassSummary(school_class, int(n)) for school_class, n in rows.all()]


async def class_for_teacher(db: AsyncSession, teacher_id: int, class_id: int) -> SchoolClass:
    """The class, if it is this teacher's: ClassNotFound for none, NotYourClass for another's."""
    school_class = await db.get(SchoolClass, class_id)
    if school_class is None:
        raise ClassNotFound("no such class", class_id=class_id)
    if school_class.teacher_id != teacher_id:
        raise NotYourClass("this class belongs to another teacher", class_id=class_id)
    return school_class


@dataclass(frozen=True)
class Joined:
    school_class: SchoolClass
    teacher_name: str
    already: bool


async def join_class(db: AsyncSession, student_id: int, code: str, now: datetime) -> Joined:
    """The student joins the class with this code (joining twice is harmless)."""
    found = (
        await db.execute(
            select(SchoolClass, Teacher.name)
            .join(Teacher, Teacher.teacher_id == SchoolClass.teacher_id)
            .where(SchoolClass.join_code == normalise_code(code))
        )
    ).first()
    if found is None:
        raise UnknownJoinCode("no class has this code", code=code)
    school_class, teacher_name = found
    inserted = await db.execute(
        insert(ClassMembership)
        .values(class_id=school_class.class_id, student_id=student_id, joined_at=now)
        .on_conflict_do_nothing()
        .returning(ClassMembership.class_id)
    )
    return Joined(school_class, teacher_name, already=inserted.first() is None)


async def classes_of_student(db: AsyncSession, student_id: int) -> list[tuple[SchoolClass, str]]:
    rows = await db.execute(
        select(SchoolClass, Teacher.name)
        .join(ClassMembership, ClassMembership.class_id == SchoolClass.class_id)
        .join(Teacher, Teacher.teacher_id == SchoolClass.teacher_id)
        .where(ClassMembership.student_id == student_id)
        .order_by(SchoolClass.name)
    )
    return [(school_class, name) for school_class, name in rows.all()]


async def leave_class(db: AsyncSession, student_id: int, code: str) -> SchoolClass | None:
    """The student leaves the class with this code; None when they were not in it."""
    school_class = (
        await db.execute(select(SchoolClass).where(SchoolClass.join_code == normalise_code(code)))
    ).scalar_one_or_none()
    if school_class is None:
        raise UnknownJoinCode("no class has this code", code=code)
    left = await db.execute(
        delete(ClassMembership)
        .where(ClassMembership.class_id == school_class.class_id, ClassMembership.student_id == student_id)
        .returning(ClassMembership.class_id)
    )
    return school_class if left.first() is not None else None


async def issue_login_link(db: AsyncSession, teacher_id: int, now: datetime) -> str:
    """A one-time sign-in token for the teacher, valid for LOGIN_LINK_LIFETIME (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    db.add(
        TeacherLoginLink(
            token_sha256=sha256_hex(token),
            teacher_id=teacher_id,
            created_at=now,
            expires_at=now + LOGIN_LINK_LIFETIME,
        )
    )
    await db.flush()
    return token


async def redeem_login_link(db: AsyncSession, token: str, now: datetime) -> int:
    """The teacher the link signs in, marking it used; LoginLinkInvalid if unknown, used or expired."""
    if not token or len(token) > 200:
        raise LoginLinkInvalid("this sign-in link is not valid")
    teacher_id = (
        await db.execute(
            update(TeacherLoginLink)
            .where(
                TeacherLoginLink.token_sha256 == sha256_hex(token),
                TeacherLoginLink.used_at.is_(None),
                TeacherLoginLink.expires_at > now,
            )
            .values(used_at=now)
            .returning(TeacherLoginLink.teacher_id)
        )
    ).scalar_one_or_none()
    if teacher_id is None:
        raise LoginLinkInvalid("this sign-in link is used, expired or unknown")
    return int(teacher_id)


async def login_link_usable(db: AsyncSession, token: str, now: datetime) -> bool:
    if not token or len(token) > 200:
        return False
    found = await db.execute(
        select(TeacherLoginLink.teacher_id).where(
            TeacherLoginLink.token_sha256 == sha256_hex(token),
            TeacherLoginLink.used_at.is_(None),
            TeacherLoginLink.expires_at > now,
        )
    )
    return found.first() is not None
