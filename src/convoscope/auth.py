"""Apps (tenants), their secrets, and the signed access tokens they trade them for."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from convoscope.errors import Unauthorized
from convoscope.ids import uuid_id
from convoscope.secrets_store import hash_secret, verify_app_secret
from convoscope.tables import AccessToken, App
from convoscope.timeutil import as_utc, utcnow
from convoscope.token_claims import AccessClaims, ClaimsCache

_ALGORITHM = "HS256"
_ISSUER = "convoscope"
# A cached token is handed out again only while it has at least this long to live.
_REUSE_MARGIN = timedelta(seconds=60)


@dataclass(frozen=True)
class AppCredentials:
    app_id: str
    app_secret: str


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    refresh_token: str


def create_app(
    session: Session, name: str = "", app_id: str | None = None, secret: str | None = None
) -> AppCredentials:
    credentials = AppCredentials(
        app_id=app_id or secrets.token_hex(16), app_secret=secret or secrets.token_urlsafe(32)
    )
    session.add(App(id=credentials.app_id, name=name, secret_hash=hash_secret(credentials.app_secret)))
    session.flush()
    return credentials


def ensure_app(session: Session, app_id: str, secret: str) -> bool:
    """Create the app if it is missing (start-up convenience). True when it was created."""
    if session.get(App, app_id) is not None:
        return False
    create_app(session, name=app_id, app_id=app_id, secret=secret)
    return True


def count_apps(session: Session) -> int:
    return len(session.scalars(select(App.id)).all())


def token_digest(token: str) -> str:
    """What is stored of an access token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


class TokenService:
    def __init__(
        self, signing_key: str, lifetime_seconds: int, refresh_lifetime_seconds: int = 30 * 86400
    ) -> None:
        self._key = signing_key
        self._lifetime = timedelta(seconds=lifetime_seconds)
        self._refresh_lifetime = timedelta(seconds=refresh_lifetime_seconds)
        self._claims = ClaimsCache()

    def check_app(self, session: Session, app_id: str, app_secret: str) -> App:
        app = session.get(App, app_id)
        if not verify_app_secret(app_secret, app.secret_hash if app else None) or app is None:
            raise Unauthorized("Unauthorized: invalid appId or appSecret.")
        return app

    def generate(self, session: Session, app_id: str, app_secret: str) -> IssuedToken:
        """Trade an app's id and secret for a token; a still-valid token is returned again."""
        self.check_app(session, app_id, app_secret)
        now = utcnow()
        cached = session.scalars(
            select(AccessToken)
            .where(AccessToken.app_id == app_id, AccessToken.revoked.is_(False))
            .order_by(AccessToken.expires_at.desc())
            .limit(1)
        ).first()
        if cached is not None and as_utc(cached.expires_at) - now > _REUSE_MARGIN:
            # Only the token's hash is stored; signing the same claims again gives the same token.
            token = self._access_token(app_id, cached.id, as_utc(cached.issued_at), as_utc(cached.expires_at))
            if token_digest(token) == cached.token_hash:
                remaining = int((as_utc(cached.expires_at) - now).total_seconds())
                return IssuedToken(token, remaining, self._refresh_token(app_id, cached.id, now))
        return self._issue(session, app_id, now)

    def refresh(self, session: Session, app_id: str, app_secret: str, refresh_token: str) -> IssuedToken:
        """A new access token for a refresh token; the old access token and refresh token stop working."""
        self.check_app(session, app_id, app_secret)
        try:
            claims = jwt.decode(
                refresh_token, self._key, algorithms=[_ALGORITHM], issuer=_ISSUER,
                options={"require": ["exp", "sub", "jti", "iss"]},
            )  # fmt: skip
        except jwt.PyJWTError as exc:
            raise Unauthorized("Unauthorized: invalid refreshToken.") from exc
        previous = session.get(AccessToken, str(claims.get("access", "")))
        if claims.get("typ") != "refresh" or claims["sub"] != app_id or previous is None or previous.revoked:
            raise Unauthorized("Unauthorized: invalid refreshToken.")
        previous.revoked = True
        return self._issue(session, app_id, utcnow())

    def _issue(self, session: Session, app_id: str, now: datetime) -> IssuedToken:
        now = now.replace(microsecond=0)  # the token holds whole seconds; so does what re-creates it
        expires_at = now + self._lifetime
        token_id = uuid_id()
        token = self._access_token(app_id, token_id, now, expires_at)
        session.add(
            AccessToken(
                id=token_id,
                app_id=app_id,
                token_hash=token_digest(token),
                issued_at=now,
                expires_at=expires_at,
            )
        )
        session.flush()
        return IssuedToken(
            token, int(self._lifetime.total_seconds()), self._refresh_token(app_id, token_id, now)
        )

    def _access_token(self, app_id: str, token_id: str, issued_at: datetime, expires_at: datetime) -> str:
        claims = {
            "sub": app_id, "jti": token_id, "iat": issued_at, "exp": expires_at, "iss": _ISSUER,
            "typ": "access",
        }  # fmt: skip
        return jwt.encode(claims, self._key, algorithm=_ALGORITHM)

    def _refresh_token(self, app_id: str, access_id: str, now: datetime) -> str:
        claims = {
            "sub": app_id, "jti": uuid_id(), "access": access_id, "typ": "refresh", "iat": now,
            "exp": now + self._refresh_lifetime, "iss": _ISSUER,
        }  # fmt: skip
        return jwt.encode(claims, self._key, algorithm=_ALGORITHM)

    def authenticate(self, connection: Connection, token: str) -> str:
        """The app id a token belongs to; raises Unauthorized for anything not valid now.

        The signature is checked once per token and process (`ClaimsCache`); expiry and revocation
        on every call, revocation in the database, so that a token revoked through any process is
        refused by every process from its next request on."""
        claims = self._claims.get(token) or self._verified(token)
        if not claims.usable_at(time.time()):
            self._claims.forget(token)
            raise Unauthorized()
        revoked = connection.execute(
            select(AccessToken.revoked).where(
                AccessToken.token_hash == claims.token_hash,
                AccessToken.id == claims.token_id,
                AccessToken.app_id == claims.app_id,
            )
        ).scalar()
        if revoked is None or revoked:
            raise Unauthorized()
        return claims.app_id

    def _verified(self, token: str) -> AccessClaims:
        """The claims of a token whose signature, issuer, type and (for now) expiry hold."""
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[_ALGORITHM],
                issuer=_ISSUER,
                options={"require": ["exp", "sub", "jti", "iss"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized() from exc
        if claims.get("typ", "access") != "access":
            raise Unauthorized()
        verified = AccessClaims(
            app_id=str(claims["sub"]),
            token_id=str(claims["jti"]),
            token_hash=token_digest(token),
            expires_at=int(claims["exp"]),
        )
        self._claims.put(token, verified)
        return verified

    def revoke_all(self, session: Session, app_id: str) -> int:
        tokens = session.scalars(
            select(AccessToken).where(AccessToken.app_id == app_id, AccessToken.revoked.is_(False))
        ).all()
        for stored in tokens:
            stored.revoked = True
        return len(tokens)
