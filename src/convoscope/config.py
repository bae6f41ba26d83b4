"""All configuration, read once at start-up from `CONVOSCOPE_*` environment variables.

The settings object is built by the entry point (CLI or test) and passed down; no other module reads
`CONVOSCOPE_*` variables. Settings come in sections (`settings.asr.model`, `settings.limits.body_bytes`);
each section's variables share a prefix, so `asr.model` is `CONVOSCOPE_ASR_MODEL` and
`limits.body_bytes` is `CONVOSCOPE_MAX_BODY_BYTES`. A few other names are read too (`OTHER_NAMES`).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from convoscope.config_env import ENV_PREFIX, SectionEnvSource
from convoscope.config_env import OTHER_NAMES as OTHER_NAMES  # documented with the settings


class Section(BaseModel):
    """A group of settings; its variables are `CONVOSCOPE_<env_prefix><FIELD>`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    env_prefix: ClassVar[str] = ""


class ServerSettings(Section):
    env_prefix: ClassVar[str] = ""

    host: str = Field(default="127.0.0.1", description="Address the HTTP server binds to.")
    port: int = Field(default=8000, description="TCP port of the HTTP server.")
    public_url: str | None = Field(
        default=None, description="Base URL clients use to reach this server (shown in logs only)."
    )
    run_worker: bool = Field(
        default=True, description="Run the job worker inside the API process (embedded)."
    )
    forwarded_allow_ips: list[str] = Field(
        default_factory=list,
        description="Proxies (addresses or CIDR networks, JSON list) whose `X-Forwarded-For` names the "
        'client, e.g. `["127.0.0.1"]` behind a reverse proxy on the same host. Empty (default): the header '
        "is ignored and the connecting address is the client.",
    )

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry.strip(), strict=False)  # fails start-up on a typo
        return value

    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token that `/metrics` requires. Unset (default): `/metrics` answers 404; "
        "`/healthz` and `/readyz` stay open.",
    )


class LogSettings(Section):
    env_prefix: ClassVar[str] = "LOG_"

    level: Literal["debug", "info", "warning", "error"] = Field(default="info", description="Log level.")
    json_lines: bool = Field(
        default=False,
        description="Write logs as JSON lines instead of readable text (`CONVOSCOPE_LOG_JSON`).",
    )


class InitialAppSettings(Section):
    """An app created at start when it is missing (both set), e.g. for a deployment's first start."""

    env_prefix: ClassVar[str] = "APP_"

    id: str | None = Field(default=None, description="The app's id.")
    secret: SecretStr | None = Field(default=None, description="The app's secret.")


class TokenSettings(Section):
    env_prefix: ClassVar[str] = "TOKEN_"

    secret: SecretStr | None = Field(
        default=None,
        description="HMAC secret that signs access tokens. Unset: generated once and kept in the data dir.",
    )
    lifetime_seconds: int = Field(default=86400, ge=60, description="Access token lifetime (seconds).")
    refresh_lifetime_seconds: int = Field(default=30 * 86400, ge=60, description="Refresh token lifetime.")
    failures_allowed: int = Field(
        default=10, ge=1, description="Failed token requests per app id from one client address per window."
    )
    address_failures_allowed: int = Field(
        default=50, ge=1, description="Failed token requests from one client address per window (any apps)."
    )
    media_link_seconds: int = Field(
        default=900, ge=10, le=86400, description="Lifetime of a signed media URL (the web UI's player)."
    )
    failure_window_seconds: float = Field(default=300, gt=0, description="Window of failures_allowed.")


class LimitSettings(Section):
    env_prefix: ClassVar[str] = "MAX_"

    body_bytes: int = Field(
        default=2 * 1024 * 1024, ge=1024, description="Largest JSON request body (bytes); larger answers 413."
    )
    media_bytes: int = Field(
        default=2 * 1024 * 1024 * 1024, ge=1024, description="Largest media upload or download (bytes)."
    )
    media_seconds: float = Field(
        default=4 * 3600, gt=0, description="Most audio in one job (seconds; x channels if split by channel)."
    )
    media_channels: int = Field(default=32, ge=1, description="Most audio channels of one media file.")
    storage_bytes: int = Field(
        default=0, ge=0, description="Media bytes one app may keep stored (0: no quota); more answers 413."
    )
    messages_per_request: int = Field(default=10000, ge=1, description="Most messages in one text request.")
    message_chars: int = Field(default=100_000, ge=1, description="Longest single message content.")
    concurrent_jobs: int = Field(
        default=50, ge=1, description="Scheduled + running jobs one app may have; more answers 429."
    )
    requests_per_minute: int = Field(
        default=1200,
        ge=1,
        description="Authenticated requests one app may make per minute on one API process.",
    )

    insight_refreshes_per_minute: int = Field(
        default=30, ge=1, description="Insight refresh jobs (`?refresh=true`) one app may start per minute."
    )


class JobSettings(Section):
    env_prefix: ClassVar[str] = "JOB_"

    lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A running job's lease; a worker that stops renewing it loses the job.",
    )
    max_attempts: int = Field(default=3, ge=1, description="Attempts before a crashing job ends `failed`.")


class WorkerSettings(Section):
    env_prefix: ClassVar[str] = "WORKER_"

    threads: int = Field(default=1, ge=1, description="Jobs one worker process runs at the same time.")
    processes: int = Field(
        default=1,
        ge=1,
        description="Worker processes of a worker node (`convoscope worker`), each with its models.",
    )
    grace_seconds: float = Field(
        default=25.0,
        ge=0,
        description="On SIGTERM, how long a running job may finish before it is handed back.",
    )
    metrics_port: int | None = Field(
        default=None, description="Port of a worker node's /metrics, /healthz and /readyz; unset: none."
    )
    metrics_host: str = Field(default="0.0.0.0", description="Address of a worker node's metrics port.")
    preload_models: bool = Field(
        default=True,
        description="Load the speech and language models when a worker starts, not on its first job.",
    )
    torch_threads: int = Field(
        default=1,
        ge=0,
        description="Threads of the torch models (sentence and speaker embeddings) in a worker; 0 = torch's "
        "default. One keeps torch's thread pool from slowing the speech decoder.",
    )


class AsrSettings(Section):
    env_prefix: ClassVar[str] = "ASR_"

    model: str = Field(
        default="base",
        description="Speech model: `base` (multilingual, default), `tiny.en` (fast, English) or a local "
        "CTranslate2 model directory.",
    )
    device: Literal["auto", "cpu", "cuda"] = Field(
        default="auto", description="`auto` uses CUDA when a GPU is present, else the CPU."
    )
    compute_type: str = Field(
        default="default",
        description="CTranslate2 compute type; `default` is float16 on CUDA, int8 on a CPU with int8 "
        "kernels (else float32).",
    )
    streams: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Decoders working through a recording's chunks side by side; 0 = from the cores (CPU: "
        "one per core, at most 4; GPU: 1).",
    )
    cpu_threads: int = Field(
        default=0, ge=0, description="CPU threads per decoding stream; 0 = the cores shared by the streams."
    )
    beam_size: int = Field(default=5, ge=1, le=10, description="Beam size of the speech decoder.")
    batched: bool = Field(
        default=True, description="Batched inference over VAD speech segments (faster at equal accuracy)."
    )
    batch_size: int = Field(
        default=0,
        ge=0,
        le=64,
        description="30 s chunks one decoding stream decodes at once; 0 = by device and compute type.",
    )
    greedy_first: bool = Field(
        default=True,
        description="Batched decoding: greedy first, the beam search only for the chunks whose greedy "
        "result fails Whisper's log-probability or compression-ratio checks (same WER, faster).",
    )


class OpenAISettings(Section):
    """The OpenAI-compatible speech routes (`POST /v1/audio/transcriptions` and `/translations`)."""

    env_prefix: ClassVar[str] = "OPENAI_"

    max_bytes: int = Field(
        default=100 * 1024 * 1024,
        ge=1024,
        description="Largest file one request may upload (bytes); larger answers 413. OpenAI's own is 25 MB.",
    )
    max_seconds: float = Field(
        default=3600.0, gt=0, description="Longest audio one request may send (seconds); longer answers 400."
    )
    wait_seconds: float = Field(
        default=900.0,
        gt=0,
        description="How long a request waits for its job; then it answers 504 and the job is dropped "
        "(kept when `keep` is on).",
    )
    keep: bool = Field(
        default=False,
        description="Keep each request as a conversation (Conversation API, web UI, insights). Off: nothing "
        "of a request is kept once it is answered.",
    )


class DiarizationSettings(Section):
    env_prefix: ClassVar[str] = "DIARIZATION_"

    max_speakers: int = Field(
        default=10, ge=1, le=50, description="Most speakers diarization estimates when not told."
    )
    threads: int = Field(
        default=0,
        ge=0,
        description="Torch threads of diarization's networks; 0 = one per core idle when it starts (after "
        "the transcription, which leaves the cores free on a quiet worker).",
    )


class FetchSettings(Section):
    """Media URLs, downloaded by the worker behind the request-forgery guard."""

    env_prefix: ClassVar[str] = "FETCH_"

    allow: list[str] = Field(
        default_factory=list,
        description="Hosts or networks (CIDR) media URLs may reach although not public, e.g. "
        '`["127.0.0.1", "10.0.0.0/8"]` (JSON). Everything non-public is refused by default.',
    )
    connect_timeout_seconds: float = Field(default=10.0, gt=0, description="Media URL connect timeout.")
    read_timeout_seconds: float = Field(default=30.0, gt=0, description="Media URL read timeout.")
    max_redirects: int = Field(default=3, ge=0, le=10, description="Redirects followed for a media URL.")


class WebhookSettings(Section):
    env_prefix: ClassVar[str] = "WEBHOOK_"

    allow: list[str] = Field(
        default_factory=list,
        description="Hosts or networks (CIDR) webhooks may reach although not public (JSON list). "
        "Everything non-public is refused by default, as for media URLs.",
    )
    attempts: int = Field(default=4, ge=1, le=10, description="Delivery attempts of one webhook call.")
    backoff_seconds: float = Field(
        default=1.0, ge=0, description="Wait before the second attempt; doubles for each later one."
    )
    timeout_seconds: float = Field(default=5.0, gt=0, description="Timeout of one webhook delivery.")
    threads: int = Field(
        default=4, ge=1, le=64, description="Delivery threads; one app uses at most one at a time."
    )


class Settings(BaseSettings):
    """Convoscope settings: where data lives, then one section per concern."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=None, extra="ignore", frozen=True)

    data_dir: Path = Field(
        default=Path("./data"),
        description="Directory for the SQLite database, the queue file, media, models and the token secret.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL. Unset: SQLite file `convoscope.db` in the data dir. "
        "Scale-out: `postgresql+psycopg://user@host/db`.",
    )
    queue_url: str | None = Field(
        default=None,
        description="Job queue. Unset: a Huey SQLite file in the data dir. Scale-out: `redis://host:6379/0`.",
    )
    queue_name: str = Field(default="convoscope", description="Queue name (lets deployments share Redis).")

    server: ServerSettings = ServerSettings()
    log: LogSettings = LogSettings()
    initial_app: InitialAppSettings = InitialAppSettings()
    tokens: TokenSettings = TokenSettings()
    limits: LimitSettings = LimitSettings()
    jobs: JobSettings = JobSettings()
    worker: WorkerSettings = WorkerSettings()
    asr: AsrSettings = AsrSettings()
    openai: OpenAISettings = OpenAISettings()
    diarization: DiarizationSettings = DiarizationSettings()
    fetch: FetchSettings = FetchSettings()
    webhooks: WebhookSettings = WebhookSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, SectionEnvSource(settings_cls), env_settings

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'convoscope.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"
