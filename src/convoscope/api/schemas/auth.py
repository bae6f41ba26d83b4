"""Token endpoints' bodies."""

from __future__ import annotations

from typing import Literal

from convoscope.api.schemas.common import Wire


class TokenRequest(Wire):
    type: Literal["application", "password"] = "application"
    appId: str
    appSecret: str


class TokenResponse(Wire):
    accessToken: str
    expiresIn: int
    refreshToken: str | None = None


class TokenRefreshRequest(Wire):
    appId: str
    appSecret: str
    refreshToken: str
