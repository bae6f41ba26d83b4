"""Token endpoints' bodies and answer."""

from __future__ import annotations

from typing import Annotated, Literal

from convoscope.api.schemas.common import Wire
from convoscope.auth import IssuedToken
from convoscope.conversations.lenient import NotBlank, OneOf, RequestModel

Secret = Annotated[str, NotBlank()]


class AppCredentials(RequestModel):
    """DELETE /oauth2/token:revoke: the app whose tokens are all revoked."""

    appId: Secret
    appSecret: Secret


class TokenRequest(RequestModel):
    """POST /oauth2/token:generate."""

    type: Annotated[Literal["application", "password"], OneOf()]
    appId: Secret
    appSecret: Secret


class TokenRefreshRequest(AppCredentials):
    """POST /oauth2/token:refresh."""

    refreshToken: Secret


class TokenResponse(Wire):
    accessToken: str
    expiresIn: int
    refreshToken: str | None = None

    @classmethod
    def of(cls, issued: IssuedToken) -> TokenResponse:
        return cls(
            accessToken=issued.access_token, expiresIn=issued.expires_in, refreshToken=issued.refresh_token
        )
