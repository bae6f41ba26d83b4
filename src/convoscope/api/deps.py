"""Request dependencies: the process's services, the authenticated app and the conversation it names.

Routes take them as `Annotated` types: `app_id: AppId`, `services: ServicesDep`,
`conversation: CallerConversation`, `job: CallerJob`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from convoscope import api_keys
from convoscope.conversations.queries import own_conversation, own_job
from convoscope.errors import TooManyRequests, Unauthorized
from convoscope.services import Services
from convoscope.tables import Conversation, Job

T = TypeVar("T")


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def services_dependency(request: Request) -> Services:
    """`get_services` as a dependency: async, so it runs on the event loop rather than costing a hop
    to a worker thread and back on every request."""
    return get_services(request)


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
    if api_keys.looks_like_key(credential):
        with services.db.session() as session:
            return credential_app_id_in(services, session, credential)
    # A token only reads one column: a bare connection costs a fraction of a session.
    with services.db.engine.connect() as connection:
        return services.tokens.authenticate(connection, credential)


def credential_app_id_in(services: Services, session: Session, credential: str) -> str:
    """`credential_app_id` in the caller's session, for a route that reads more in the same one."""
    if api_keys.looks_like_key(credential):
        return api_keys.authenticate(session, credential)  # in a session: a key's use is written down
    return services.tokens.authenticate(session.connection(), credential)


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

ServicesDep = Annotated[Services, Depends(services_dependency)]
"""The process's services (database, queue, media store...)."""


def _read_as_caller(request: Request, read: Callable[[Session, str], T]) -> T:
    """`read(session, app_id)` for the authenticated caller (401, 429 as `AppId`), in the session and
    worker thread that authenticated it: a client polling pays for one of each per request, not two."""
    services = get_services(request)
    credential = bearer_token(request)
    with services.db.session() as session:
        app_id = credential_app_id_in(services, session, credential)
        count_request(services, app_id)
        return read(session, app_id)


def caller_conversation(conversationId: str, request: Request) -> Conversation:
    """The caller's conversation named in the path, read once per request (detached from its session:
    read its columns; open a session to change it). Another app's id answers 404 like an unknown one."""
    return _read_as_caller(request, lambda session, app_id: own_conversation(session, app_id, conversationId))


def app_conversation(services: Services, app_id: str, conversation_id: str) -> Conversation:
    """`caller_conversation` for an app already authenticated."""
    with services.db.session() as session:
        return own_conversation(session, app_id, conversation_id)


def caller_job(jobId: str, request: Request) -> Job:
    """The caller's job named in the path, authenticated and read like `caller_conversation`: what a
    client polling for a job's end asks for many times a second."""
    return _read_as_caller(request, lambda session, app_id: own_job(session, app_id, jobId))


CallerConversation = Annotated[Conversation, Depends(caller_conversation)]
CallerJob = Annotated[Job, Depends(caller_job)]
