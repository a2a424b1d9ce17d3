"""Authentication and authorisation failures, as domain errors every door can map."""

from __future__ import annotations

from src.errors import DarsError


class NotAuthenticated(DarsError):
    """No credentials, or credentials that do not prove who the caller is."""

    code = "not_authenticated"
    status = 401
    challenge = "tma"  # the WWW-Authenticate scheme that would succeed


class AdminNotAuthenticated(NotAuthenticated):
    challenge = "Bearer"


class InvalidInitData(NotAuthenticated):
    code = "invalid_init_data"


class InitDataExpired(NotAuthenticated):
    code = "init_data_expired"


class InvalidAdminToken(AdminNotAuthenticated):
    code = "invalid_admin_token"


class Forbidden(DarsError):
    """The caller is known but may not do this."""

    code = "forbidden"
    status = 403


class AuthNotConfigured(DarsError):
    """The server lacks the secret needed to check this kind of credential."""

    code = "auth_not_configured"
    status = 503
