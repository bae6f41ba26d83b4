"""Tokens: generate (https://docs.symbl.ai/docs/developer-tools/authentication), and the swagger's
refresh and revoke. Failed attempts are rate limited per app id from one client address and per
client address, so guessing secrets is slow while a stranger's failures never lock the owner out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from convoscope.api.client_address import client_address
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
    """Run a credential check, refusing early once this address has failed too often (for this app
    id, or for any)."""
    address = client_address(request)
    limits = services.limits
    checks = ((limits.token_failures, f"{address} {app_id}"), (limits.address_failures, address))
    for window, key in checks:
        if not window.allowed(key):
            raise TooManyRequests(
                "Too many failed attempts to authenticate. Retry later.", retry_after=window.retry_after(key)
            )

    def run() -> T:
        with services.db.session() as session:
            return action(session)

    try:
        return await run_in_threadpool(run)
    except Unauthorized:
        for window, key in checks:
            window.hit(key)
        raise
