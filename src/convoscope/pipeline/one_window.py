"""Speech that fits one Whisper window, decoded as faster-whisper's sequential `transcribe` does.

A recording whose speech makes a single 30 s chunk (`speech_chunks.chunk_bounds`) has one stream's
worth of work. Decoded as a batch (`chunk_decoder`: no timestamp tokens), the window sometimes ends
early and drops its last speech, and the second pass for it costs another full encoder window: on
15 s of paused speech the job took twice as long as bare faster-whisper. Decoded sequentially, with
timestamp tokens, the decoder says where each segment ends and the speech after the last one is
decoded from there, so the end is not lost for good; greedy first (`greedy_first`), the beam search
only where the greedy result fails Whisper's checks. The decoder sees the speech laid end to end,
as a batch would (`SpeechMap.join`), and the word times are mapped back onto the recording.

Only up to `ONE_WINDOW_SECONDS` of speech: speech that reaches near the window's end leaves its last
segment open, and the sequential decoder then encodes a second window for the few seconds after it
(26.6 and 29.4 s of speech took two 30 s windows, as many as a batch and its second pass).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from convoscope.pipeline.chunk_decoder import DecodedSpeech, words_of
from convoscope.pipeline.decode import SAMPLE_RATE
from convoscope.pipeline.greedy_first import with_greedy_first
from convoscope.pipeline.speech_chunks import SpeechMap, chunk_bounds
from convoscope.pipeline.types import Word

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

# Speech up to this many seconds is decoded sequentially (above); 0 turns it off.
ONE_WINDOW_SECONDS = 20.0


def fits_one_window(speech: SpeechMap, streams: int) -> bool:
    """Whether the speech makes a single chunk of at most `ONE_WINDOW_SECONDS`: nothing to share
    among streams, no batch to fill, and room in the window after it."""
    seconds = speech.samples / SAMPLE_RATE
    return 0 < seconds <= ONE_WINDOW_SECONDS and len(chunk_bounds(speech, streams)) == 1


def decode_one_window(
    model: WhisperModel,
    audio: np.ndarray,
    speech: SpeechMap,
    kwargs: dict[str, Any],
    *,
    greedy_first: bool = False,
) -> DecodedSpeech:
    """Decode the speech of `audio` (`speech`, its regions; a single chunk) sequentially.

    `kwargs` are faster-whisper transcribe options; VAD is not run again (the regions are known).
    """
    decoder, counts = with_greedy_first(model) if greedy_first else (model, None)
    segments, info = decoder.transcribe(speech.join(audio), **{**kwargs, "vad_filter": False})
    words = []
    for word in words_of(segments):  # the generator does the work here
        start, end = speech.to_recording(word.start, word.end)
        words.append(Word(word.text, start, end, word.probability))
    return DecodedSpeech(
        words=words,
        language=info.language,
        language_probability=float(info.language_probability),
        batches=1,
        redecoded=0,
        beam_chunks=counts.beam if counts else 0,
    )
