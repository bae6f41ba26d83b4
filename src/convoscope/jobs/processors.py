"""The processor for each job kind, built once per worker process."""

from __future__ import annotations

import threading
import time

import structlog

from convoscope.config import Settings
from convoscope.conversations.insight_refresh import INSIGHTS_KIND
from convoscope.conversations.job_requests import TextSubmit
from convoscope.conversations.stored_requests import read_stored
from convoscope.jobs.media_processor import MediaProcessor
from convoscope.jobs.output import JobOutput
from convoscope.jobs.runner import Processor
from convoscope.jobs.text_processor import build_text_output
from convoscope.jobs.transcription_processor import TranscriptionProcessor
from convoscope.pipeline.heap import configure_allocators
from convoscope.pipeline.models.device import configure_openmp
from convoscope.pipeline.models.pool import ModelPool
from convoscope.pipeline.torch_threads import limit_torch_threads
from convoscope.storage import MediaStore
from convoscope.tables import Conversation, Job

log = structlog.get_logger(__name__)


def process_text(job: Job, _conversation: Conversation) -> JobOutput:
    return build_text_output(read_stored(TextSubmit, job.request))


def process_insights(_job: Job, _conversation: Conversation) -> JobOutput:
    """A refresh: nothing to store; the runner analyses the conversation again after it."""
    return JobOutput(messages=[])


def _warm_up(pool: ModelPool, greedy: bool) -> None:
    """Load models before the first job needs them (a job that comes first simply waits for them),
    then run the insights once, which builds what they build lazily on first use."""
    from convoscope.pipeline.insights.warm_up import warm_up_insights
    from convoscope.pipeline.nlp import default_models

    started = time.perf_counter()
    try:
        models = default_models()
        models.spacy()
        models.vader()
        models.embedder()
        pool.get()
        if (one_stream := pool.one_stream(greedy=greedy)) is not None:
            one_stream()  # the copy short recordings are decoded by
        warm_up_insights(models)
    except Exception:  # a model that fails here fails its first job with the real error
        log.exception("models.warm_up_failed")
        return
    log.info("models.warmed_up", seconds=round(time.perf_counter() - started, 2))


def worker_pool(settings: Settings) -> ModelPool:
    """The worker's model pool (nothing loaded yet), with the process's allocators and thread
    runtimes set up as a worker runs them."""
    pool = ModelPool(
        settings.models_dir,
        default_model=settings.asr.model,
        device=settings.asr.device,
        compute_type=settings.asr.compute_type,
        cpu_threads=settings.asr.cpu_threads,
        streams=settings.asr.streams,
    )
    configure_allocators()  # first: before any library with MKL inside is loaded
    configure_openmp()  # and before CTranslate2's OpenMP runtime is
    limit_torch_threads(settings.worker.torch_threads)
    return pool


def build_processors(settings: Settings) -> dict[str, Processor]:
    """Processors by job kind; with `preload_models` the models start loading in the background."""
    pool = worker_pool(settings)
    media = MediaProcessor(settings, MediaStore(settings.media_dir), pool)
    if settings.worker.preload_models:
        threading.Thread(
            target=_warm_up,
            args=(pool, settings.asr.batched and settings.asr.greedy_first),
            name="model-warm-up",
            daemon=True,
        ).start()
    return {
        "text": process_text,
        "audio": media,
        "video": media,
        "transcription": TranscriptionProcessor(media),
        INSIGHTS_KIND: process_insights,
    }
