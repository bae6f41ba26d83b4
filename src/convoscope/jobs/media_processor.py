"""Audio and video jobs: fetch the media when it is a URL, transcribe, and turn sentences into
messages on the conversation's timeline (an append continues after the media already there)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import structlog
from pydantic import ValidationError

from convoscope import metrics
from convoscope.config import Settings
from convoscope.conversations.job_requests import MediaOptions, MediaUpload, MediaUrlSubmit
from convoscope.conversations.lenient import describe
from convoscope.conversations.stored_requests import read_stored
from convoscope.fetch import FetchError, FetchLimits, fetch_to_file
from convoscope.jobs.output import JobOutput, NewMessage, NewOverlap, SpeakerSpec
from convoscope.jobs.runner import JobFailed
from convoscope.netguard import NetPolicy
from convoscope.pipeline.decode import MediaError
from convoscope.pipeline.diarize import EncoderMissingError
from convoscope.pipeline.diarize.tracker import SpeakerTracker
from convoscope.pipeline.models.pool import ModelPool
from convoscope.pipeline.models.weights import ModelError
from convoscope.pipeline.recognize import AudioResult, MediaLimits, probe_media, process_media
from convoscope.pipeline.transcribe import TranscriptionOptions, UnsupportedLanguageError
from convoscope.pipeline.types import Sentence
from convoscope.storage import MediaStore
from convoscope.tables import Conversation, Job
from convoscope.timeutil import as_utc, to_iso

log = structlog.get_logger(__name__)


class MediaProcessor:
    """One per worker process: holds the model pool so models load once, not per job."""

    def __init__(self, settings: Settings, store: MediaStore, pool: ModelPool) -> None:
        self.settings = settings
        self.store = store
        self.pool = pool
        self.policy = NetPolicy.from_strings(settings.fetch.allow)
        self.fetch_limits = FetchLimits(
            connect_timeout=settings.fetch.connect_timeout_seconds,
            read_timeout=settings.fetch.read_timeout_seconds,
            max_bytes=settings.limits.media_bytes,
            max_redirects=settings.fetch.max_redirects,
        )

    def __call__(self, job: Job, conversation: Conversation) -> JobOutput:
        request = media_request(job)
        path, downloaded = self._media_file(job, request)
        try:
            output = self._process(job, conversation, request, path)
        except BaseException:
            self.store.delete(downloaded)  # no row will point at a download whose job failed
            raise
        output.media_path = downloaded
        output.media_bytes = path.stat().st_size if downloaded else None
        return output

    def _process(self, job: Job, conversation: Conversation, request: MediaOptions, path: Path) -> JobOutput:
        options = self._transcription_options(request)
        limits = MediaLimits(
            max_duration=self.settings.limits.media_seconds, max_channels=self.settings.limits.media_channels
        )
        offset = media_offset(job, conversation)
        try:
            tracker = self._speaker_tracker(path, request, limits)
            result = process_media(
                path, options, self.pool, time_offset=offset, limits=limits, assign_speakers=tracker
            )
        except RECOGNITION_ERRORS as exc:
            raise recognition_failed(exc) from exc
        timings = {f"{step}_seconds": round(seconds, 3) for step, seconds in result.timings.items()}
        log.info("job.media.transcribed", job_id=job.id, **timings)
        record_step_metrics(result.timings)
        voices = tracker.voiceprints() if tracker else {}
        prefix = f"voice:{job.id}:"
        output = to_output(
            result, conversation, request, media_offset=offset, voice_key_prefix=prefix, voices=voices
        )
        output.voice_library = bool(tracker) and request.enableVoiceLibrary
        if tracker:
            output.overlaps = [
                NewOverlap(offset + o.start, offset + o.end, prefix + o.speaker, prefix + o.other)
                for o in tracker.overlaps
            ]
        return output

    def _media_file(self, job: Job, request: MediaOptions) -> tuple[Path, str | None]:
        """The job's media on disk, and its store key when this call downloaded it."""
        if job.media_path:
            return self.store.path(job.media_path), None
        if not isinstance(request, MediaUrlSubmit):
            raise JobFailed("The job has neither an uploaded file nor a URL.")
        key = self.store.download_key(job.id)
        self.store.root.mkdir(parents=True, exist_ok=True)  # a new server has no media folder yet
        try:
            fetch_to_file(request.url, self.store.path(key), policy=self.policy, limits=self.fetch_limits)
        except FetchError as exc:
            # The user sees a message that says nothing of our network; the logs keep the details.
            log.warning("job.media.download_failed", job_id=job.id, reason=exc.reason, error=str(exc))
            raise JobFailed(f"Could not download the media from the URL: {exc.public_message}") from exc
        return self.store.path(key), key

    def _speaker_tracker(
        self, path: Path, request: MediaOptions, limits: MediaLimits
    ) -> SpeakerTracker | None:
        if not request.enableSpeakerDiarization:
            return None
        duration = probe_media(path, limits).duration
        return SpeakerTracker(
            num_speakers=request.diarizationSpeakerCount,
            max_speakers=self.settings.diarization.max_speakers,
            single_window=duration <= limits.window,
            threads=self.settings.diarization.threads,
        )

    def _transcription_options(self, request: MediaOptions) -> TranscriptionOptions:
        return TranscriptionOptions(
            model=self.settings.asr.model,
            language=request.whisper_language,
            beam_size=self.settings.asr.beam_size,
            hotwords=tuple(request.customVocabulary),
            mode=request.mode,
            separate_channels=request.per_channel,
            batched=self.settings.asr.batched,
            batch_size=self.settings.asr.batch_size,
            greedy_first=self.settings.asr.greedy_first,
        )


def media_offset(job: Job, conversation: Conversation) -> float:
    """Where the job's recording starts on the conversation's timeline: where the media before it
    ends (its earlier jobs have all finished), or where a first run of this job put it."""
    if job.media_offset is not None:
        return float(job.media_offset)
    return float(conversation.media_seconds or 0.0)


# What `process_media` (and diarization) raise for input they cannot use or a model they cannot load.
RECOGNITION_ERRORS = (MediaError, ModelError, UnsupportedLanguageError, EncoderMissingError)


def recognition_failed(exc: Exception) -> JobFailed:
    """The job failure for one of `RECOGNITION_ERRORS`, with its code."""
    if isinstance(exc, MediaError):
        code = "invalid_media"
    elif isinstance(exc, UnsupportedLanguageError):
        code = "unsupported_language"
    else:
        code = "model_unavailable"
    return JobFailed(str(exc), code)


def media_request(job: Job) -> MediaUpload | MediaUrlSubmit:
    """The job's stored request: an upload's when its media is stored, else a URL submit's."""
    model: type[MediaUpload | MediaUrlSubmit] = MediaUpload if job.media_path else MediaUrlSubmit
    try:
        return read_stored(model, job.request)
    except ValidationError as exc:
        raise JobFailed(f"The job's stored request cannot be read: {describe(exc.errors())}") from exc


# `process_media` timing names -> the step label of the `step_seconds` metric.
METRIC_STEPS = {"decode": "decode", "transcribe": "transcribe", "speakers": "diarize", "segment": "segment"}


def record_step_metrics(timings: dict[str, float]) -> None:
    """Feed the speech steps of one job (`AudioResult.timings`) to the per-step metric."""
    for name, step in METRIC_STEPS.items():
        if name == "speakers" and not timings.get(name):
            continue  # diarization was off: no sample, so the metric shows only diarized jobs
        if name in timings:
            metrics.step_finished(step, timings[name])


def to_output(
    result: AudioResult,
    conversation: Conversation,
    request: MediaOptions,
    *,
    media_offset: float = 0.0,
    voice_key_prefix: str = "voice:",
    voices: dict[str, tuple[float, ...]] | None = None,
) -> JobOutput:
    """Sentences (seconds on the conversation's media timeline, the recording starting at
    `media_offset`) -> messages with datetimes.

    Diarized speakers get keys unique to the job and their voiceprints: storing matches them by voice
    to members the conversation already has (an append), or numbers them as new `Speaker N`.
    """
    voices = voices or {}
    origin = as_utc(conversation.start_time)
    per_channel = request.per_channel and result.channels > 1
    output = JobOutput(messages=[], media_seconds=result.duration, media_offset=media_offset)
    for sentence in result.sentences:
        key = _speaker_key(sentence, per_channel, voice_key_prefix)
        if key and key not in output.speakers:
            output.speakers[key] = _speaker_spec(key, request, voices.get(sentence.speaker or ""))
        output.messages.append(
            NewMessage(
                text=sentence.text,
                start=origin + timedelta(seconds=sentence.start),
                end=origin + timedelta(seconds=sentence.end),
                speaker_key=key,
                words=[
                    {
                        "word": word.text.strip(),
                        "start": round(word.start, 3),
                        "end": round(word.end, 3),
                        "startTime": to_iso(origin + timedelta(seconds=word.start)),
                        "endTime": to_iso(origin + timedelta(seconds=word.end)),
                        "score": round(word.probability, 4) if word.probability is not None else None,
                    }
                    for word in sentence.words
                ],
            )
        )
    return output


def _speaker_key(sentence: Sentence, per_channel: bool, voice_key_prefix: str) -> str | None:
    if sentence.speaker:
        return f"{voice_key_prefix}{sentence.speaker}"
    if per_channel:
        return f"channel:{sentence.channel}"
    return None


def _speaker_spec(key: str, request: MediaOptions, voiceprint: tuple[float, ...] | None) -> SpeakerSpec:
    kind, _, label = key.partition(":")
    if kind == "voice":  # named `Speaker N` when stored, numbered after the conversation's voices
        return SpeakerSpec(key=key, name="", voiceprint=voiceprint)
    if kind == "channel":
        # channelMetadata counts channels from 1 in Symbl's examples; our channels count from 0.
        speaker = request.channel_speaker(int(label) + 1)
        return SpeakerSpec(
            key=key,
            name=(speaker.name if speaker else None) or f"Channel {int(label) + 1}",
            email=speaker.email if speaker else None,
        )
    return SpeakerSpec(key=key, name=label)
