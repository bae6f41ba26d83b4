"""Transcription jobs (the OpenAI-style speech API): recognise or translate the upload with the
request's Whisper options, and hand back the result document the caller waits for.

The models are the media processor's (one pool per worker process). A kept request also becomes the
conversation's messages and insights, like an audio job; one that is not kept stores only the result.
"""

from __future__ import annotations

import structlog
from pydantic import ValidationError

from convoscope.conversations.lenient import describe
from convoscope.conversations.stored_requests import read_stored
from convoscope.conversations.transcription_requests import TranscriptionRequest
from convoscope.jobs.media_processor import (
    RECOGNITION_ERRORS,
    MediaProcessor,
    recognition_failed,
    record_step_metrics,
    to_output,
)
from convoscope.jobs.output import JobOutput
from convoscope.jobs.runner import JobFailed
from convoscope.pipeline.recognize import MediaLimits, process_media
from convoscope.pipeline.transcribe import TranscriptionOptions
from convoscope.pipeline.transcription_result import transcription_result
from convoscope.tables import Conversation, Job

log = structlog.get_logger(__name__)


class TranscriptionProcessor:
    def __init__(self, media: MediaProcessor) -> None:
        self.media = media
        self.settings = media.settings

    def __call__(self, job: Job, conversation: Conversation) -> JobOutput:
        try:
            request = read_stored(TranscriptionRequest, job.request)
        except ValidationError as exc:
            raise JobFailed(f"The job's stored request cannot be read: {describe(exc.errors())}") from exc
        if not job.media_path:
            raise JobFailed("The job has no uploaded file.")
        options = self.options(request)
        try:
            result = process_media(
                self.media.store.path(job.media_path),
                options,
                self.media.pool,
                limits=MediaLimits(
                    max_duration=self.settings.openai.max_seconds,
                    max_channels=self.settings.limits.media_channels,
                ),
            )
        except RECOGNITION_ERRORS as exc:
            raise recognition_failed(exc) from exc
        log.info("job.transcription.done", job_id=job.id, task=request.task, language=result.language,
                 audio_seconds=round(result.duration, 3), sentences=len(result.sentences))  # fmt: skip
        record_step_metrics(result.timings)
        tokenizer = self.media.pool.get(options.model).hf_tokenizer
        document = transcription_result(
            result.sentences,
            task=request.task,
            language=result.language,
            duration=result.duration,
            temperature=request.temperature,
            tokenize=lambda text: list(tokenizer.encode(text, add_special_tokens=False).ids),
        )
        if request.keep:
            output = to_output(result, conversation, request, voice_key_prefix=f"voice:{job.id}:")
        else:
            output = JobOutput(messages=[], media_seconds=result.duration, insights=False)
        output.result = document.to_json()
        return output

    def options(self, request: TranscriptionRequest) -> TranscriptionOptions:
        """Whisper's options for the request. Batched decoding has no temperature fallback and no
        sampling, so a temperature above 0 is decoded by the sequential decoder, which has both."""
        asr = self.settings.asr
        return TranscriptionOptions(
            model=request.model or asr.model,
            language=request.language,
            task=request.task,
            initial_prompt=request.prompt or None,
            temperature=request.temperatures,
            beam_size=asr.beam_size,
            batched=asr.batched and request.temperatures is None,
            batch_size=asr.batch_size,
            greedy_first=asr.greedy_first,
        )
