"""Request dependencies: the process's services and the authenticated app."""

from __future__ import annotations

from fastapi import Request

from convoscope.errors import TooManyRequests, Unauthorized
from convoscope.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def bearer_token(request: Request) -> str:
    """The token from `Authorization: Bearer X` or `x-api-key: X` (also `x-api-key: Bearer X`)."""
    for header in ("authorization", "x-api-key"):
        value = request.headers.get(header, "").strip()
        if value.lower().startswith("bearer "):
            value = value[7:].strip()
        elif header == "authorization":
            continue
        if value:
            return value
    raise Unauthorized()


def current_app_id(request: Request) -> str:
    """The app a valid token belongs to; 401 otherwise, 429 over the app's request rate."""
    services = get_services(request)
    token = bearer_token(request)
    with services.db.session() as session:
        app_id = services.tokens.authenticate(session, token)
    if not services.limits.requests.hit(app_id):
        raise TooManyRequests(
            f"This app has made more than {services.settings.requests_per_minute} requests in a minute.",
            retry_after=services.limits.requests.retry_after(app_id),
        )
    return app_id
