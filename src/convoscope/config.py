"""All configuration, read once at start-up from `CONVOSCOPE_*` environment variables.

Nothing else in the code base reads `os.environ`: the settings object is built by the entry point
(CLI or test) and passed down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Convoscope settings. Every field can be set as `CONVOSCOPE_<NAME>` (case-insensitive)."""

    model_config = SettingsConfigDict(env_prefix="CONVOSCOPE_", env_file=None, extra="ignore")

    data_dir: Path = Field(
        default=Path("./data"),
        description="Directory for the SQLite database, the queue file, media, models and the token secret.",
    )
    host: str = Field(default="127.0.0.1", description="Address the HTTP server binds to.")
    port: int = Field(default=8000, description="TCP port of the HTTP server.")
    public_url: str | None = Field(
        default=None, description="Base URL clients use to reach this server (shown in logs only)."
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
    queue_name: str = Field(
        default="convoscope", description="Queue name (lets several deployments share Redis)."
    )

    token_secret: SecretStr | None = Field(
        default=None,
        description="HMAC secret that signs access tokens. Unset: generated once and kept in the data dir.",
    )
    token_lifetime_seconds: int = Field(default=86400, ge=60, description="Access token lifetime (seconds).")
    app_id: str | None = Field(default=None, description="App created at start if missing (with app_secret).")
    app_secret: SecretStr | None = Field(default=None, description="Secret of the app named by app_id.")

    run_worker: bool = Field(
        default=True, description="Run the job worker inside the API process (embedded)."
    )
    worker_threads: int = Field(default=1, ge=1, description="Jobs one worker process runs at the same time.")
    job_lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A running job's lease; a worker that stops renewing it loses the job.",
    )
    job_max_attempts: int = Field(
        default=3, ge=1, description="Attempts before a crashing job ends `failed`."
    )

    max_body_bytes: int = Field(
        default=2 * 1024 * 1024, ge=1024, description="Largest JSON request body (bytes); larger answers 413."
    )
    max_media_bytes: int = Field(
        default=2 * 1024 * 1024 * 1024, ge=1024, description="Largest media upload or download (bytes)."
    )
    max_media_seconds: float = Field(default=4 * 3600, gt=0, description="Longest media accepted (seconds).")
    max_messages_per_request: int = Field(
        default=10000, ge=1, description="Most messages in one text request."
    )
    max_message_chars: int = Field(default=100_000, ge=1, description="Longest single message content.")
    token_failures_allowed: int = Field(
        default=10, ge=1, description="Failed token requests per app id and per client address per window."
    )
    token_failure_window_seconds: float = Field(
        default=300, gt=0, description="Window of token_failures_allowed."
    )
    requests_per_minute: int = Field(
        default=1200,
        ge=1,
        description="Authenticated requests one app may make per minute on one API process.",
    )
    refresh_token_lifetime_seconds: int = Field(
        default=30 * 86400, ge=60, description="Refresh token lifetime."
    )
    max_concurrent_jobs: int = Field(
        default=50, ge=1, description="Scheduled + running jobs one app may have; more answers 429."
    )

    asr_model: str = Field(
        default="base",
        description="Speech model: `base` (multilingual, default), `tiny.en` (fast, English) or a local "
        "CTranslate2 model directory.",
    )
    asr_device: Literal["auto", "cpu", "cuda"] = Field(
        default="auto", description="`auto` uses CUDA when a GPU is present, else the CPU."
    )
    asr_compute_type: str = Field(
        default="default",
        description="CTranslate2 compute type; `default` is float16 on CUDA, int8 on a CPU with int8 "
        "kernels (else float32).",
    )
    asr_streams: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Parts of a recording decoded side by side; 0 = from the cores (CPU: one per core, "
        "at most 4; GPU: 1).",
    )
    asr_cpu_threads: int = Field(
        default=0, ge=0, description="CPU threads per decoding stream; 0 = the cores shared by the streams."
    )
    torch_threads: int = Field(
        default=1,
        ge=0,
        description="Threads of the torch models (sentence embeddings, speaker embeddings) in a worker; "
        "0 = torch's default. One keeps torch's thread pool from slowing the speech decoder.",
    )
    asr_beam_size: int = Field(default=5, ge=1, le=10, description="Beam size of the speech decoder.")
    asr_batched: bool = Field(
        default=True, description="Batched inference over VAD speech segments (faster at equal accuracy)."
    )
    asr_batch_size: int = Field(
        default=0,
        ge=0,
        le=64,
        description="30 s chunks one decoding stream decodes at once; 0 = by device and compute type "
        "(CPU int8: 1, CPU float32: 8, GPU: 16).",
    )
    preload_models: bool = Field(
        default=True,
        description="Load the speech and language models when a worker starts, not on its first job.",
    )
    diarization_max_speakers: int = Field(
        default=10, ge=1, le=50, description="Most speakers diarization estimates when not told."
    )

    fetch_allow: list[str] = Field(
        default_factory=list,
        description="Hosts or networks (CIDR) media URLs may reach although not public, e.g. "
        '`["127.0.0.1", "10.0.0.0/8"]` (JSON). Everything non-public is refused by default.',
    )
    fetch_connect_timeout_seconds: float = Field(default=10.0, gt=0, description="Media URL connect timeout.")
    fetch_read_timeout_seconds: float = Field(default=30.0, gt=0, description="Media URL read timeout.")
    fetch_max_redirects: int = Field(
        default=3, ge=0, le=10, description="Redirects followed for a media URL."
    )

    webhook_allow: list[str] = Field(
        default_factory=list,
        description="Hosts or networks (CIDR) webhooks may reach although not public (JSON list). "
        "Everything non-public is refused by default, as for media URLs.",
    )
    webhook_attempts: int = Field(
        default=4, ge=1, le=10, description="Delivery attempts of one webhook call."
    )
    webhook_backoff_seconds: float = Field(
        default=1.0, ge=0, description="Wait before the second attempt; doubles for each later one."
    )
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, description="Timeout of one webhook delivery.")

    log_level: Literal["debug", "info", "warning", "error"] = Field(default="info", description="Log level.")
    log_json: bool = Field(default=False, description="Write logs as JSON lines instead of readable text.")

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
