"""Token endpoints' bodies and answer."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from convoscope.api.schemas.common import Wire
from convoscope.auth import IssuedToken
from convoscope.conversations.lenient import NotBlank, OneOf, RequestModel

# Bounded: these come from anyone, before any authentication.
MAX_APP_ID_CHARS = 128  # the longest app id stored
MAX_SECRET_CHARS = 1024
MAX_REFRESH_TOKEN_CHARS = 4096

AppIdText = Annotated[str, Field(max_length=MAX_APP_ID_CHARS), NotBlank()]
Secret = Annotated[str, Field(max_length=MAX_SECRET_CHARS), NotBlank()]
RefreshTokenText = Annotated[str, Field(max_length=MAX_REFRESH_TOKEN_CHARS), NotBlank()]


class AppCredentials(RequestModel):
    """DELETE /oauth2/token:revoke: the app whose tokens are all revoked."""

    appId: AppIdText
    appSecret: Secret


class TokenRequest(RequestModel):
    """POST /oauth2/token:generate."""

    type: Annotated[Literal["application", "password"], OneOf()]
    appId: AppIdText
    appSecret: Secret


class TokenRefreshRequest(AppCredentials):
    """POST /oauth2/token:refresh."""

    refreshToken: RefreshTokenText


class TokenResponse(Wire):
    accessToken: str
    expiresIn: int
    refreshToken: str | None = None

    @classmethod
    def of(cls, issued: IssuedToken) -> TokenResponse:
        return cls(
            accessToken=issued.access_token, expiresIn=issued.expires_in, refreshToken=issued.refresh_token
        )
