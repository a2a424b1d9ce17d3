"""The data layer's ORM models (contract: docs/database-schema.md)."""

from src.models.ai_hint import AiHint
from src.models.base import Base
from src.models.bot import BotChat, TelegramUpdate
from src.models.budget_refusal import BudgetRefusal
from src.models.class_membership import ClassMembership
from src.models.cost_record import CostRecord
from src.models.enums import ApiProvider, ConfidenceLevel, CostOperation, SessionStatus
from src.models.hint_view import HintView
from src.models.job_run import JobRun
from src.models.problem import Problem
from src.models.response import Response
from src.models.response_misconception import ResponseMisconception
from src.models.retired_problem import RetiredProblem
from src.models.school_class import SchoolClass
from src.models.session import Session
from src.models.skill_parameters import SkillParameters
from src.models.streak import MILESTONES, Streak
from src.models.student import Student
from src.models.teacher import Teacher
from src.models.teacher_login_link import TeacherLoginLink
from src.models.web_session import WebSession

__all__ = [
    "MILESTONES",
    "AiHint",
    "ApiProvider",
    "Base",
    "BotChat",
    "BudgetRefusal",
    "ClassMembership",
    "ConfidenceLevel",
    "CostOperation",
    "CostRecord",
    "HintView",
    "JobRun",
    "Problem",
    "Response",
    "ResponseMisconception",
    "RetiredProblem",
    "SchoolClass",
    "Session",
    "SessionStatus",
    "SkillParameters",
    "Streak",
    "Student",
    "Teacher",
    "TeacherLoginLink",
    "TelegramUpdate",
    "WebSession",
]
