"""The processor for each job kind, built once per worker process."""

from __future__ import annotations

from convoscope.config import Settings
from convoscope.jobs.output import JobOutput
from convoscope.jobs.runner import Processor
from convoscope.jobs.text_job import build_text_output
from convoscope.tables import Conversation, Job


def process_text(job: Job, _conversation: Conversation) -> JobOutput:
    return build_text_output(job.request["messages"])


def build_processors(settings: Settings) -> dict[str, Processor]:
    return {"text": process_text}
