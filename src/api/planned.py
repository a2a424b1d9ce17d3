"""Routes whose dependencies are solved from a plan made once, not rediscovered on every request.

FastAPI walks a route's dependency tree on every request: it re-derives cache keys, re-classifies every
callable, and builds exit stacks and contexts for each node. With the rest of its request path that was
about a third of a practice request's CPU (bench/README.md). `PlannedRoute` flattens
the tree once into a list of steps (each dependency once, in the order FastAPI runs them, with FastAPI's
own cache keys) and runs that list.

The plan serves a request only when its parameters are well formed: the path parameters and the JSON
body pass their validation. Anything else (a malformed id, a body that is not JSON, a failed validation)
goes to FastAPI's own handler, so every error, and its 422 details in particular, is FastAPI's, byte for
byte. A tree with a feature the plan does not cover (query, header or cookie parameters, forms, security
scopes, background tasks, streaming) is never planned. `app.dependency_overrides` (tests) gets a plan of
its own, built from the overrides as FastAPI builds them.

What the plan runs is what FastAPI runs: the same dependency functions with the same values, generator
dependencies on the same exit stacks (a `scope="function"` one closes before the response is sent, as in
FastAPI), the endpoint, then the response as FastAPI's `serialize_response` builds it (less validating an
instance of the response model, which validates as itself).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from copy import deepcopy
from dataclasses import dataclass
from enum import Enum
from typing import Any

from fastapi import Request, Response, params
from fastapi._compat import ModelField, Undefined
from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.models import (
    Dependant,
    _get_cache_key,
    _is_async_gen_callable,
    _is_coroutine_callable,
    _is_gen_callable,
)
from fastapi.dependencies.utils import get_dependant
from fastapi.routing import APIRoute, _effective_route_context_var, serialize_response
from fastapi.utils import is_body_allowed_for_status_code
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class _Kind(Enum):
    COROUTINE = "coroutine"
    CONTEXT = "async generator"
    THREAD = "plain function"  # FastAPI runs these in its thread pool; so does the plan


@dataclass(frozen=True, slots=True)
class _Step:
    """One dependency: what to call, and where each of its arguments comes from."""

    call: Callable[..., Any]
    kind: _Kind
    arguments: tuple[tuple[str, int], ...]  # (parameter, index of the step whose value it takes)
    request_params: tuple[str, ...]  # parameters that take the Request (as Request or HTTPConnection)
    response_param: str | None
    function_scope: bool  # a generator closed before the response is sent (else after)
    context: Callable[..., AbstractAsyncContextManager[Any]] | None  # a generator's, made once

    def bind(self, solved: list[Any], request: Request, sub_response: Response) -> dict[str, Any]:
        """This step's arguments: the values of the steps it depends on, the request, the sub-response."""
        arguments = {name: solved[index] for name, index in self.arguments}
        for name in self.request_params:
            arguments[name] = request
        if self.response_param is not None:
            arguments[self.response_param] = sub_response
        return arguments


@dataclass(frozen=True, slots=True)
class _Plan:
    steps: tuple[_Step, ...]
    endpoint: _Step  # its arguments name the dependencies; path and body values are added per request


class _NotPlannable(Exception):
    """The tree uses something the plan does not cover: FastAPI handles the route."""


def _kind(dependant: Dependant) -> _Kind:
    call = dependant.call
    if _is_async_gen_callable(call):
        return _Kind.CONTEXT
    if _is_gen_callable(call):
        raise _NotPlannable("a plain generator dependency")
    if _is_coroutine_callable(call):
        return _Kind.COROUTINE
    return _Kind.THREAD


def _check_plain(dependant: Dependant, *, endpoint: bool) -> None:
    if dependant.query_params or dependant.header_params or dependant.cookie_params:
        raise _NotPlannable("query, header or cookie parameters")
    if not endpoint and (dependant.path_params or dependant.body_params):
        raise _NotPlannable("a dependency with path or body parameters")
    if (
        dependant.background_tasks_param_name
        or dependant.websocket_param_name
        or dependant.security_scopes_param_name
        or dependant.own_oauth_scopes
        or dependant.concurrency is not None
    ):
        raise _NotPlannable("background tasks, websockets, security scopes or a concurrency limit")


def _request_params(dependant: Dependant) -> tuple[str, ...]:
    names = (dependant.http_connection_param_name, dependant.request_param_name)
    return tuple(name for name in names if name is not None)


def _make_plan(dependant: Dependant, overrides: Mapping[Any, Any]) -> _Plan:
    steps: list[_Step] = []
    cached: dict[Any, int] = {}

    def arguments_of(node: Dependant) -> tuple[tuple[str, int], ...]:
        arguments = []
        for sub in node.dependencies:
            # As FastAPI does: an override replaces the dependency and its whole subtree, and values are
            # cached under the key of the dependency it replaces.
            call = overrides.get(sub.call, sub.call)
            used = sub
            if call is not sub.call:
                used = get_dependant(
                    path=sub.path or "", call=call, name=sub.name, scope=sub.scope, use_cache=sub.use_cache
                )
            key = _get_cache_key(dependant=sub)
            index = cached.get(key) if sub.use_cache else None
            if index is None:
                _check_plain(used, endpoint=False)
                kind = _kind(used)
                step_arguments = arguments_of(used)
                index = len(steps)
                steps.append(
                    _Step(
                        call=call,
                        kind=kind,
                        arguments=step_arguments,
                        request_params=_request_params(used),
                        response_param=used.response_param_name,
                        function_scope=sub.scope == "function",
                        context=asynccontextmanager(call) if kind is _Kind.CONTEXT else None,
                    )
                )
                cached.setdefault(key, index)
            if sub.name is not None:
                arguments.append((sub.name, index))
        return tuple(arguments)

    _check_plain(dependant, endpoint=True)
    assert dependant.call is not None
    endpoint = _Step(
        call=dependant.call,
        kind=_kind(dependant),
        arguments=arguments_of(dependant),
        request_params=_request_params(dependant),
        response_param=dependant.response_param_name,
        function_scope=True,
        context=None,
    )
    if endpoint.kind is not _Kind.COROUTINE:
        raise _NotPlannable("an endpoint that is not `async def`")
    return _Plan(tuple(steps), endpoint)


class _Fallback(Exception):
    """This request's parameters are not well formed: FastAPI's handler reports them."""


def _validate_body(field: ModelField, received: Any, values: dict[str, Any]) -> Any:
    """FastAPI's validation of a single, not embedded body (fastapi.dependencies.utils
    ._validate_value_with_model_field); _Fallback where it would report an error."""
    if received is Undefined:
        if field.field_info.is_required():
            raise _Fallback
        received = deepcopy(field.default)
        if not field.field_info.validate_default:
            return received
    value, errors = field.validate(received, values, loc=("body",))
    if errors:
        raise _Fallback
    return value


class PlannedRoute(APIRoute):
    """An APIRoute that runs a plan of its dependencies, made once (see the module docstring)."""

    def get_route_handler(self) -> Handler:
        standard = super().get_route_handler()
        # The route as it is served: when included in a router or app, FastAPI builds the handler with the
        # inclusion's prefix, dependencies and overrides provider in this context variable.
        context = _effective_route_context_var.get()
        route: Any = context if context is not None and context.original_route is self else self
        return _PlannedHandler(route, standard).handle


class _PlannedHandler:
    def __init__(self, route: Any, standard: Handler) -> None:
        self.standard = standard
        self.dependant: Dependant = route.dependant
        self.provider = route.dependency_overrides_provider
        self.status_code: int | None = route.status_code
        self.response_field = route.response_field
        self.response_class = route.response_class
        self.options = {
            "include": route.response_model_include,
            "exclude": route.response_model_exclude,
            "by_alias": route.response_model_by_alias,
            "exclude_unset": route.response_model_exclude_unset,
            "exclude_defaults": route.response_model_exclude_defaults,
            "exclude_none": route.response_model_exclude_none,
        }
        # The body, if any, is one JSON model, not embedded under its name: what request_body_to_args decides
        # per request, decided once. A form body (read with request.form()) is FastAPI's to handle.
        body_params = self.dependant.body_params
        self.body_field: ModelField | None = body_params[0] if body_params else None
        self.plannable = not (
            route._embed_body_fields
            or route.is_json_stream
            or route.is_sse_stream
            or len(body_params) > 1
            or (self.body_field is not None and isinstance(self.body_field.field_info, params.Form))
        )
        self.dump_json = self.response_field is not None and isinstance(
            self.response_class, DefaultPlaceholder
        )
        # A response model whose own instances validate as themselves (pydantic's default,
        # revalidate_instances="never"): an endpoint returning one needs no validation before serialising.
        model = getattr(getattr(self.response_field, "field_info", None), "annotation", None)
        self.response_model: type[BaseModel] | None = None
        if (
            isinstance(model, type)
            and issubclass(model, BaseModel)
            and model.model_config.get("revalidate_instances", "never") == "never"
        ):
            self.response_model = model
        self.plans: dict[frozenset[tuple[Any, Any]], _Plan | None] = {}

    def plan(self) -> _Plan | None:
        if not self.plannable:
            return None
        overrides: Mapping[Any, Any] = getattr(self.provider, "dependency_overrides", None) or {}
        try:
            key = frozenset(overrides.items())
        except TypeError:  # an unhashable override: FastAPI's handler copes with it, the plan cache cannot
            return None
        if key not in self.plans:
            try:
                self.plans[key] = _make_plan(self.dependant, overrides)
            except _NotPlannable:
                self.plans[key] = None
        return self.plans[key]

    async def handle(self, request: Request) -> Response:
        plan = self.plan()
        if plan is None:
            return await self.standard(request)
        try:
            values = await self.parameters(request)
        except _Fallback:
            return await self.standard(request)
        return await self.run(plan, request, values)

    async def parameters(self, request: Request) -> dict[str, Any]:
        """The path and body values, validated as FastAPI validates them; _Fallback on any error."""
        values: dict[str, Any] = {}
        path_params = request.path_params
        for field in self.dependant.path_params:
            # What request_params_to_args does for a path parameter, whose name is its alias (a path's
            # placeholders are plain names), without its per-request search for aliases and models.
            value, errors = field.validate(path_params.get(field.alias), values, loc=("path", field.alias))
            if errors:
                raise _Fallback
            values[field.name] = value
        if self.body_field is not None:
            raw = await request.body()
            received: Any = Undefined  # no body at all, as FastAPI passes it
            if raw:
                content_type = request.headers.get("content-type", "")
                if content_type.partition(";")[0].strip().lower() != "application/json":
                    raise _Fallback  # FastAPI's own content-type rules decide
                try:
                    received = json.loads(raw)
                except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser's stack
                    raise _Fallback from None
            values[self.body_field.name] = _validate_body(self.body_field, received, values)
        return values

    async def run(self, plan: _Plan, request: Request, values: dict[str, Any]) -> Response:
        sub_response = Response()
        del sub_response.headers["content-length"]
        sub_response.status_code = None  # type: ignore[assignment]  # as FastAPI: "not set"
        function_stack: AsyncExitStack = request.scope["fastapi_function_astack"]
        request_stack: AsyncExitStack = request.scope["fastapi_inner_astack"]
        solved: list[Any] = []
        for step in plan.steps:
            arguments = step.bind(solved, request, sub_response)
            if step.kind is _Kind.COROUTINE:
                solved.append(await step.call(**arguments))
            elif step.kind is _Kind.CONTEXT:
                stack = function_stack if step.function_scope else request_stack
                assert step.context is not None
                solved.append(await stack.enter_async_context(step.context(**arguments)))
            else:
                solved.append(await run_in_threadpool(step.call, **arguments))
        values.update(plan.endpoint.bind(solved, request, sub_response))
        content = await plan.endpoint.call(**values)
        return await self.respond(content, sub_response)

    async def respond(self, content: Any, sub_response: Response) -> Response:
        """The response FastAPI builds for what an endpoint returned (fastapi.routing.get_request_handler)."""
        if isinstance(content, Response):
            return content
        status_code = sub_response.status_code or self.status_code
        arguments: dict[str, Any] = {} if status_code is None else {"status_code": status_code}
        dump_json = self.dump_json
        if dump_json and self.response_model is not None and type(content) is self.response_model:
            # What serialize_response does, less validating an instance that validates as itself.
            body = self.response_field.serialize_json(content, **self.options)
        else:
            body = await serialize_response(
                field=self.response_field, response_content=content, dump_json=dump_json, **self.options
            )
        if dump_json:
            response = Response(content=body, media_type="application/json", **arguments)
        else:
            response_class = self.response_class
            if isinstance(response_class, DefaultPlaceholder):
                response_class = response_class.value
            response = response_class(body, **arguments)
        if not is_body_allowed_for_status_code(response.status_code):
            response.body = b""
        response.headers.raw.extend(sub_response.headers.raw)
        return response
