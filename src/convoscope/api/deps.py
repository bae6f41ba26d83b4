"""Request dependencies: the process's services, the authenticated app and the conversation it names.

Routes take them as `Annotated` types: `app_id: AppId`, `services: ServicesDep`,
`conversation: CallerConversation`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from convoscope import api_keys
from convoscope.conversations.queries import own_conversation
from convoscope.errors import TooManyRequests, Unauthorized
from convoscope.services import Services
from convoscope.tables import Conversation


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def bearer_token(request: Request) -> str:
    """The token or API key from `Authorization: Bearer X` or `x-api-key: X` (also `x-api-key: Bearer X`).
    Never from the query string: URLs end up in browser histories and proxy logs."""
    for header in ("authorization", "x-api-key"):
        value = request.headers.get(header, "").strip()
        if value.lower().startswith("bearer "):
            value = value[7:].strip()
        elif header == "authorization":
            continue
        if value:
            return value
    raise Unauthorized()


def credential_app_id(services: Services, credential: str) -> str:
    """The app of an API key (`cvs_...`) or of an access token; 401 for anything not valid now."""
    with services.db.session() as session:
        if api_keys.looks_like_key(credential):
            return api_keys.authenticate(session, credential)
        return services.tokens.authenticate(session, credential)


def current_app_id(request: Request) -> str:
    """The app a valid token or API key belongs to; 401 otherwise, 429 over the app's request rate."""
    services = get_services(request)
    app_id = credential_app_id(services, bearer_token(request))
    count_request(services, app_id)
    return app_id


def count_request(services: Services, app_id: str) -> None:
    """Count one request of the app; 429 over its request rate."""
    if not services.limits.requests.hit(app_id):
        per_minute = services.settings.limits.requests_per_minute
        raise TooManyRequests(
            f"This app has made more than {per_minute} requests in a minute.",
            retry_after=services.limits.requests.retry_after(app_id),
        )


AppId = Annotated[str, Depends(current_app_id)]
"""The authenticated app (401 without a valid token, 429 over its request rate)."""

ServicesDep = Annotated[Services, Depends(get_services)]
"""The process's services (database, queue, media store...)."""


def caller_conversation(conversationId: str, app_id: AppId, services: ServicesDep) -> Conversation:
    """The caller's conversation named in the path, read once per request (detached from its session:
    read its columns; open a session to change it). Another app's id answers 404 like an unknown one."""
    with services.db.session() as session:
        return own_conversation(session, app_id, conversationId)


CallerConversation = Annotated[Conversation, Depends(caller_conversation)]
