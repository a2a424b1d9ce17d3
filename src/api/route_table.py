"""The API's routes, found without walking FastAPI's router for the routes of the practice loop.

FastAPI finds a request's route by walking the app's routes and, inside each included router, its
"effective" routes, setting and restoring scope keys at every step: ~7% of a practice request's
instructions (bench/README.md), for an answer that, for the practice loop's paths, is always the same
table lookup. `RouteTable` sits where the router sits, at the bottom of the middleware stack (so error
handlers, telemetry and exit stacks are all as before), and sends a request that fully matches one of the
*leading* router's API routes straight to it, with the scope FastAPI's router would have given it. Anything
else, including a path that matches with the wrong method (405), goes to the router itself.

The leading router is the first included router in the app's route list, and it is only used if no route
before it could match any path under its prefix: then the router's own walk would pick the same route.
It reaches into FastAPI's routing internals (effective route contexts, the "fastapi" scope keys), pinned
with FastAPI; tests/api/test_route_table.py compares the scope a route sees both ways.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import (
    _FASTAPI_EFFECTIVE_ROUTE_CONTEXT_KEY,
    _FASTAPI_INCLUDED_ROUTER_KEY,
    APIRoute,
    APIRouter,
    _get_fastapi_scope,
    _IncludedRouter,
)
from fastapi.telemetry._api import _route_selected
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send


class RouteTable:
    """An ASGI app in the router's place: the leading router's API routes by table, the rest by the router."""

    def __init__(self, router: APIRouter) -> None:
        self.router = router
        self.prefix, self.included, self.entries = _leading_routes(router)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.entries and get_route_path(scope).startswith(self.prefix):
            for context in self.entries:
                match, child_scope = context.matches(scope)
                if match is Match.FULL:
                    await self._handle(context, child_scope, scope, receive, send)
                    return
        await self.router(scope, receive, send)

    async def _handle(
        self, context: Any, child_scope: Scope, scope: Scope, receive: Receive, send: Send
    ) -> None:
        # What APIRouter.app, _IncludedRouter.handle, _IncludedRouter._handle_selected and APIRoute.handle
        # leave in the scope on the way to this route, in their order.
        scope.setdefault("router", self.router)
        fastapi_scope = _get_fastapi_scope(scope)
        fastapi_scope[_FASTAPI_INCLUDED_ROUTER_KEY] = self.included
        route = context.original_route
        scope.update(child_scope)
        scope["route"] = route
        _route_selected(
            scope=scope,
            path=getattr(context.starlette_route, "path_format", None) or context.path_format,
            mount=False,
        )
        fastapi_scope[_FASTAPI_EFFECTIVE_ROUTE_CONTEXT_KEY] = context
        await context.app(scope, receive, send)


def _leading_routes(router: APIRouter) -> tuple[str, _IncludedRouter | None, list[Any]]:
    """(path prefix, included router, its API routes' effective contexts in order), or no entries when
    the table cannot be sure to choose as the router would."""
    nothing: tuple[str, _IncludedRouter | None, list[Any]] = ("", None, [])
    if router.middleware_stack != router.app:  # a router with middleware of its own
        return nothing
    before: list[BaseRoute] = []
    for route in router.routes:
        if isinstance(route, _IncludedRouter):
            entries = []
            for context in route.effective_candidates():
                if isinstance(context, _IncludedRouter) or not isinstance(context.original_route, APIRoute):
                    break  # matched in order: the table stops where a nested router or mount would be
                entries.append(context)
            prefix = _common_prefix([_literal_prefix(context.path_format) for context in entries])
            if not entries or not prefix.startswith("/") or prefix == "/":
                return nothing
            if any(_may_match_under(earlier, prefix) for earlier in before):
                return nothing
            return prefix, route, entries
        before.append(route)
    return nothing


def _literal_prefix(path_format: str) -> str:
    return path_format.partition("{")[0]


def _common_prefix(prefixes: list[str]) -> str:
    if not prefixes:
        return ""
    first, last = min(prefixes), max(prefixes)
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    return first[:length]


def _may_match_under(route: BaseRoute, prefix: str) -> bool:
    """Whether `route` might match some path that starts with `prefix` (True when unsure)."""
    if isinstance(route, Route | Mount):
        literal = _literal_prefix(route.path_format if isinstance(route, Route) else route.path + "/")
        return literal.startswith(prefix) or prefix.startswith(literal)
    return True


def dispatch_by_table(app: FastAPI, stack: ASGIApp) -> ASGIApp:
    """`stack` (the app's middleware stack) with a RouteTable in its router's place."""
    layer: Any = stack
    while layer is not None:
        inner = getattr(layer, "app", None)
        if inner is app.router:
            layer.app = RouteTable(app.router)
            break
        layer = inner
    return stack
