"""The AI tutor: personalised hints and judging of answers the checker cannot read, under the cost ceiling.

Practice talks to it only through src.practice.ports (HintSource, AnswerJudge); without ANTHROPIC_API_KEY
the CuratedProvider serves the library's hints and judges nothing, so everything works without a key.
"""

from src.tutor.provider import (
    ClaudeProvider,
    CuratedProvider,
    TutorProvider,
    get_provider,
    make_provider,
    model_tutor,
)

__all__ = [
    "ClaudeProvider",
    "CuratedProvider",
    "TutorProvider",
    "get_provider",
    "make_provider",
    "model_tutor",
]
