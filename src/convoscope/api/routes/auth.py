"""Tokens: generate (https://docs.symbl.ai/docs/developer-tools/authentication), and the swagger's
refresh and revoke. Failed attempts are rate limited per app id and per client address, so guessing
secrets is slow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from convoscope.api.deps import ServicesDep
from convoscope.api.openapi import request_body
from convoscope.api.params import credentials_body
from convoscope.api.schemas.auth import AppCredentials, TokenRefreshRequest, TokenRequest, TokenResponse
from convoscope.api.schemas.common import MessageResponse
from convoscope.errors import TooManyRequests, Unauthorized
from convoscope.services import Services

router = APIRouter(tags=["auth"])
T = TypeVar("T")

GenerateBody = Annotated[TokenRequest, credentials_body(TokenRequest)]
RefreshBody = Annotated[TokenRefreshRequest, credentials_body(TokenRefreshRequest)]
RevokeBody = Annotated[AppCredentials, credentials_body(AppCredentials)]


@router.post("/oauth2/token:generate", response_model=TokenResponse, openapi_extra=request_body(TokenRequest))
async def generate_token(body: GenerateBody, request: Request, services: ServicesDep) -> TokenResponse:
    issued = await _guarded(
        request, services, body.appId, lambda s: services.tokens.generate(s, body.appId, body.appSecret)
    )
    return TokenResponse.of(issued)


@router.post(
    "/oauth2/token:refresh", response_model=TokenResponse, openapi_extra=request_body(TokenRefreshRequest)
)
async def refresh_token(body: RefreshBody, request: Request, services: ServicesDep) -> TokenResponse:
    issued = await _guarded(
        request,
        services,
        body.appId,
        lambda s: services.tokens.refresh(s, body.appId, body.appSecret, body.refreshToken),
    )
    return TokenResponse.of(issued)


@router.delete(
    "/oauth2/token:revoke", response_model=MessageResponse, openapi_extra=request_body(AppCredentials)
)
async def revoke_tokens(body: RevokeBody, request: Request, services: ServicesDep) -> MessageResponse:
    def revoke(session: Session) -> int:
        services.tokens.check_app(session, body.appId, body.appSecret)
        return services.tokens.revoke_all(session, body.appId)

    count = await _guarded(request, services, body.appId, revoke)
    return MessageResponse(message=f"Revoked {count} token(s) of app {body.appId}.")


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
