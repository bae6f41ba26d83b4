"""Everything a process holds for its lifetime, opened once at start-up and passed to whoever needs it."""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy.exc import IntegrityError

from convoscope import auth
from convoscope.config import Settings
from convoscope.db import Database, schema_revision, upgrade
from convoscope.queue import JobQueue
from convoscope.ratelimit import SlidingWindow
from convoscope.secrets_store import server_signing_key
from convoscope.storage import MediaStore

log = structlog.get_logger(__name__)


class SchemaOutdated(RuntimeError):
    pass


@dataclass
class RateLimits:
    """Per-process limits: failed token requests (per app id from one address, and per address) and
    requests per app. Failures are never counted per app alone: that would let anyone who knows an app
    id lock its owner out."""

    token_failures: SlidingWindow
    address_failures: SlidingWindow
    requests: SlidingWindow
    insight_refreshes: SlidingWindow

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimits:
        tokens = settings.tokens
        return cls(
            token_failures=SlidingWindow(tokens.failures_allowed, tokens.failure_window_seconds),
            address_failures=SlidingWindow(tokens.address_failures_allowed, tokens.failure_window_seconds),
            requests=SlidingWindow(settings.limits.requests_per_minute, 60.0),
            insight_refreshes=SlidingWindow(settings.limits.insight_refreshes_per_minute, 60.0),
        )


@dataclass
class Services:
    settings: Settings
    db: Database
    queue: JobQueue
    signing_key: str  # signs tokens and derives each app's webhook secret
    tokens: auth.TokenService
    media: MediaStore
    limits: RateLimits

    @classmethod
    def open(cls, settings: Settings) -> Services:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.resolved_database_url)
        prepare_schema(db, settings)
        key = server_signing_key(settings)
        return cls(
            settings=settings,
            db=db,
            queue=JobQueue(settings),
            signing_key=key,
            tokens=auth.TokenService(
                key, settings.tokens.lifetime_seconds, settings.tokens.refresh_lifetime_seconds
            ),
            media=MediaStore(settings.media_dir),
            limits=RateLimits.from_settings(settings),
        )

    def close(self) -> None:
        self.db.dispose()


def prepare_schema(db: Database, settings: Settings) -> None:
    """The embedded SQLite database migrates itself; a shared database must be migrated on purpose."""
    if settings.is_sqlite:
        upgrade(db.engine)
        return
    current, head = schema_revision(db.engine)
    if current != head:
        raise SchemaOutdated(
            f"The database schema is at revision {current or 'none'} but this version needs {head}. "
            "Run `convoscope db upgrade` first."
        )


def bootstrap_app(services: Services) -> tuple[str, str] | None:
    """Create the configured app, or a first app on an empty install. Returns new credentials to show."""
    settings = services.settings
    if settings.initial_app.id and settings.initial_app.secret:
        try:
            with services.db.session() as session:
                created = auth.ensure_app(
                    session, settings.initial_app.id, settings.initial_app.secret.get_secret_value()
                )
        except IntegrityError:  # another node starting at the same moment created it
            created = False
        if created:
            log.info("app.created", app_id=settings.initial_app.id, source="settings")
        return None
    with services.db.session() as session:
        if auth.count_apps(session) == 0:
            credentials = auth.create_app(session, name="default")
            return credentials.app_id, credentials.app_secret
    return None
