"""Bleep a media file over given time spans: the audio there becomes a 1 kHz tone, on every channel.

The file is rewritten in place (through a temporary file beside it, swapped in when complete): the
same container and audio codec where this build of FFmpeg can encode it, video streams copied
unchanged; otherwise FLAC (audio) or MP4 with AAC (video). What was said under a bleep cannot be
recovered from the result.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from convoscope.pipeline.media_probe import OPEN_OPTIONS

TONE_HZ = 1000.0
TONE_LEVEL = 0.3
PAD_SECONDS = 0.05  # a little before and after each word, so no edge of it is heard

# Demuxer names (as PyAV reports them) -> the muxer that writes the same kind of file.
MUXERS = {
    "mov,mp4,m4a,3gp,3g2,mj2": "mp4",
    "matroska,webm": "matroska",
    "wav": "wav",
    "flac": "flac",
    "mp3": "mp3",
    "ogg": "ogg",
    "aac": "adts",
    "aiff": "aiff",
    "amr": "amr",
    "asf": "asf",
    "ac3": "ac3",
}
# Decoders whose encoder has another name; a decoder without an encoder here falls back to FLAC or AAC.
ENCODERS = {"mp3": "libmp3lame", "mp3float": "libmp3lame", "opus": "libopus", "vorbis": "libopus",
            "amrnb": "libopencore_amrnb", "amr_nb": "libopencore_amrnb"}  # fmt: skip


def bleep_media(path: Path, spans: Sequence[tuple[float, float]]) -> None:
    """Replace `path` with a copy bleeped over `spans` (seconds from the start of the file)."""
    if not spans:
        return
    target = path.with_name(f"{path.name}.bleeping")
    try:
        try:
            _rewrite(path, target, spans, same_format=True)
        except Exception:  # this format or codec cannot be written here: a lossless or common one
            target.unlink(missing_ok=True)
            _rewrite(path, target, spans, same_format=False)
        os.replace(target, path)
    finally:
        target.unlink(missing_ok=True)


def _rewrite(source: Path, target: Path, spans: Sequence[tuple[float, float]], *, same_format: bool) -> None:
    import av

    with av.open(str(source), container_options=OPEN_OPTIONS) as media:
        audio_in = list(media.streams.audio)
        video_in = list(media.streams.video)
        muxer = MUXERS.get(media.format.name) if same_format else None
        muxer = muxer or ("mp4" if video_in else "flac")
        with av.open(str(target), "w", format=muxer) as out:
            copies = {s.index: out.add_stream_from_template(s) for s in video_in}
            encoders = {s.index: _encoder(out, s, same_format, bool(video_in)) for s in audio_in}
            tones = {s.index: _Tone(spans, s.rate) for s in audio_in}
            for packet in media.demux(*audio_in, *video_in):
                index = packet.stream.index
                if index in copies:
                    if packet.dts is None:
                        continue
                    packet.stream = copies[index]
                    out.mux(packet)
                    continue
                for frame in packet.decode():
                    for encoded in encoders[index].encode(tones[index].apply(frame)):
                        out.mux(encoded)
            for encoder in encoders.values():
                for encoded in encoder.encode(None):
                    out.mux(encoded)


def _encoder(out: Any, stream: Any, same_format: bool, video: bool) -> Any:
    context = stream.codec_context
    name = ENCODERS.get(context.name, context.name) if same_format else ("aac" if video else "flac")
    encoder = out.add_stream(name, rate=context.sample_rate)
    encoder.layout = context.layout
    if context.bit_rate and name not in ("flac",) and not name.startswith("pcm_"):
        encoder.bit_rate = context.bit_rate
    return encoder


class _Tone:
    """Puts the tone over the spans into the frames of one stream, in order."""

    def __init__(self, spans: Sequence[tuple[float, float]], rate: int) -> None:
        import av

        self.rate = rate
        self.spans = [(max(0.0, start - PAD_SECONDS), end + PAD_SECONDS) for start, end in spans]
        self.samples_seen = 0
        self.resampler: Any = None
        self._av = av

    def apply(self, frame: Any) -> Any:
        if self.resampler is None:
            # Interleaved ("flt"), not planar: PyAV's planar `to_ndarray` crashes on 8 or more channels.
            self.resampler = self._av.AudioResampler(
                format="flt", layout=frame.layout, rate=frame.sample_rate
            )
        parts = [f for f in self.resampler.resample(frame)]
        result = []
        for part in parts:
            channels = part.layout.nb_channels
            samples = part.to_ndarray().reshape(-1, channels).copy()  # (n, channels)
            first = self.samples_seen
            start_time = part.time if part.time is not None else first / self.rate
            times = start_time + np.arange(samples.shape[0]) / self.rate
            for begin, end in self.spans:
                inside = (times >= begin) & (times < end)
                if inside.any():
                    tone = TONE_LEVEL * np.sin(2 * np.pi * TONE_HZ * times[inside])
                    samples[inside, :] = tone[:, np.newaxis]
            self.samples_seen += samples.shape[0]
            result.append(self._frame(samples, part))
        if len(result) == 1:
            return result[0]
        joined = np.concatenate([f.to_ndarray().reshape(-1, parts[0].layout.nb_channels) for f in result])
        return self._frame(joined, parts[0])

    def _frame(self, samples: np.ndarray, like: Any) -> Any:
        """(n, channels) float samples -> an interleaved frame with the layout and rate of `like`."""
        out = self._av.AudioFrame.from_ndarray(
            samples.astype(np.float32).reshape(1, -1), format="flt", layout=like.layout
        )
        out.sample_rate = like.sample_rate
        out.pts = None
        return out
