"""The processor for each job kind, built once per worker process."""

from __future__ import annotations

from convoscope.config import Settings
from convoscope.jobs.media_job import MediaProcessor
from convoscope.jobs.output import JobOutput
from convoscope.jobs.runner import Processor
from convoscope.jobs.text_job import build_text_output
from convoscope.pipeline.models import ModelPool
from convoscope.storage import MediaStore
from convoscope.tables import Conversation, Job


def process_text(job: Job, _conversation: Conversation) -> JobOutput:
    return build_text_output(job.request["messages"])


def build_processors(settings: Settings) -> dict[str, Processor]:
    pool = ModelPool(
        settings.models_dir,
        default_model=settings.asr_model,
        device=settings.asr_device,
        compute_type=settings.asr_compute_type,
        cpu_threads=settings.asr_cpu_threads,
    )
    media = MediaProcessor(settings, MediaStore(settings.media_dir), pool)
    return {"text": process_text, "audio": media, "video": media}
