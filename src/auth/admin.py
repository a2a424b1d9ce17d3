"""The operators' bearer token."""

from __future__ import annotations

import hmac

from src.auth.errors import AuthNotConfigured, InvalidAdminToken


def check_admin_token(given: str, expected: str | None) -> None:
    """Accept `given` only when it equals the configured token (compared in constant time)."""
    if expected is None:
        raise AuthNotConfigured("operator access is disabled: ADMIN_TOKEN is not set")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise InvalidAdminToken("the admin token is not valid")
