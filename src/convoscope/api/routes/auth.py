"""Tokens (§2): generate, and the swagger's refresh and revoke. Failed attempts are rate limited per
app id and per client address, so guessing secrets is slow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from convoscope.api.deps import get_services
from convoscope.api.params import read_json_object
from convoscope.api.schemas.auth import TokenRefreshRequest, TokenRequest, TokenResponse
from convoscope.api.schemas.common import MessageResponse
from convoscope.auth import IssuedToken
from convoscope.errors import BadRequest, TooManyRequests, Unauthorized
from convoscope.services import Services

router = APIRouter(tags=["auth"])
T = TypeVar("T")


def _body(model: type) -> dict[str, Any]:
    return {"requestBody": {"content": {"application/json": {"schema": model.model_json_schema()}}}}  # type: ignore[attr-defined]


@router.post("/oauth2/token:generate", response_model=TokenResponse, openapi_extra=_body(TokenRequest))
async def generate_token(request: Request, services: Services = Depends(get_services)) -> dict[str, Any]:
    body = await read_json_object(request, services.settings.max_body_bytes)
    if body.get("type") not in ("application", "password"):
        raise BadRequest('"type" must be one of [application, password]')
    app_id, secret = _credentials(body)
    issued = await _guarded(request, services, app_id, lambda s: services.tokens.generate(s, app_id, secret))
    return _token_json(issued)


@router.post("/oauth2/token:refresh", response_model=TokenResponse, openapi_extra=_body(TokenRefreshRequest))
async def refresh_token(request: Request, services: Services = Depends(get_services)) -> dict[str, Any]:
    body = await read_json_object(request, services.settings.max_body_bytes)
    app_id, secret = _credentials(body)
    refresh = body.get("refreshToken")
    if not isinstance(refresh, str) or not refresh:
        raise BadRequest('"refreshToken" is required')
    issued = await _guarded(
        request, services, app_id, lambda s: services.tokens.refresh(s, app_id, secret, refresh)
    )
    return _token_json(issued)


@router.delete("/oauth2/token:revoke", response_model=MessageResponse, openapi_extra=_body(TokenRequest))
async def revoke_tokens(request: Request, services: Services = Depends(get_services)) -> dict[str, str]:
    body = await read_json_object(request, services.settings.max_body_bytes)
    app_id, secret = _credentials(body)

    def revoke(session: Session) -> int:
        services.tokens.check_app(session, app_id, secret)
        return services.tokens.revoke_all(session, app_id)

    count = await _guarded(request, services, app_id, revoke)
    return {"message": f"Revoked {count} token(s) of app {app_id}."}


def _credentials(body: dict[str, Any]) -> tuple[str, str]:
    app_id, secret = body.get("appId"), body.get("appSecret")
    if not isinstance(app_id, str) or not app_id:
        raise BadRequest('"appId" is required')
    if not isinstance(secret, str) or not secret:
        raise BadRequest('"appSecret" is required')
    return app_id, secret


async def _guarded(request: Request, services: Services, app_id: str, action: Callable[[Session], T]) -> T:
    """Run a credential check, refusing early once an app id or address has failed too often."""
    failures = services.limits.token_failures
    keys = (f"app:{app_id}", f"addr:{request.client.host if request.client else 'unknown'}")
    for key in keys:
        if not failures.allowed(key):
            raise TooManyRequests(
                "Too many failed attempts to authenticate. Retry later.",
                retry_after=failures.retry_after(key),
            )

    def run() -> T:
        with services.db.session() as session:
            return action(session)

    try:
        return await run_in_threadpool(run)
    except Unauthorized:
        for key in keys:
            failures.hit(key)
        raise


def _token_json(issued: IssuedToken) -> dict[str, Any]:
    return {
        "accessToken": issued.access_token,
        "expiresIn": issued.expires_in,
        "refreshToken": issued.refresh_token,
    }
