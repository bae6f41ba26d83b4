"""POST /oauth2/token:generate (§2)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from convoscope.api.deps import get_services
from convoscope.api.params import read_json_object
from convoscope.api.schemas import TokenRequest, TokenResponse
from convoscope.errors import BadRequest
from convoscope.services import Services

router = APIRouter(tags=["auth"])


@router.post(
    "/oauth2/token:generate",
    response_model=TokenResponse,
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": TokenRequest.model_json_schema()}}}
    },
)
async def generate_token(request: Request, services: Services = Depends(get_services)) -> dict[str, Any]:
    body = await read_json_object(request, services.settings.max_body_bytes)
    kind = body.get("type")
    if kind not in ("application", "password"):
        raise BadRequest('"type" must be one of [application, password]')
    app_id, app_secret = body.get("appId"), body.get("appSecret")
    if not isinstance(app_id, str) or not app_id:
        raise BadRequest('"appId" is required')
    if not isinstance(app_secret, str) or not app_secret:
        raise BadRequest('"appSecret" is required')
    with services.db.session() as session:
        issued = services.tokens.generate(session, app_id, app_secret)
    return {"accessToken": issued.access_token, "expiresIn": issued.expires_in}
