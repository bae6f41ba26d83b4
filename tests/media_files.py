"""Media files made in tests from the real speech clips."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def make_mp4(source: Path, target: Path) -> Path:
    """An mp4 with a video track and AAC audio, made from real speech."""
    with av.open(str(source)) as src:
        frames = [f.to_ndarray() for f in src.decode(audio=0)]
        rate = src.streams.audio[0].rate
    raw = np.concatenate([frame[0] for frame in frames])  # first channel
    if np.issubdtype(raw.dtype, np.integer):  # PCM samples: scale to [-1, 1] floats for AAC
        raw = raw.astype(np.float32) / float(np.iinfo(raw.dtype).max + 1)
    samples = raw.astype(np.float32)
    with av.open(str(target), "w") as out:
        audio = out.add_stream("aac", rate=rate)
        audio.layout = "mono"  # type: ignore[union-attr]
        video = out.add_stream("mpeg4", rate=5)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"  # type: ignore[union-attr]
        for i in range(55):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 4, np.uint8), format="rgb24")
            for packet in video.encode(frame):  # type: ignore[union-attr]
                out.mux(packet)
        mono = samples[: len(samples) - len(samples) % 1024].astype(np.float32)
        frame_size = 1024
        for start in range(0, len(mono), frame_size):
            chunk = mono[start : start + frame_size].reshape(1, -1)
            aframe = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
            aframe.sample_rate = rate
            for packet in audio.encode(aframe):  # type: ignore[union-attr]
                out.mux(packet)
        for stream in (audio, video):
            for packet in stream.encode(None):  # type: ignore[union-attr]
                out.mux(packet)
    return target


def read_mono(source: Path, rate: int = 16000) -> np.ndarray:
    """A media file's first channel as float32 samples at `rate` Hz."""
    with av.open(str(source)) as src:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        chunks = [
            out.to_ndarray().reshape(-1) for frame in src.decode(audio=0) for out in resampler.resample(frame)
        ]
        chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    return np.concatenate(chunks).astype(np.float32)


def write_wav(samples: np.ndarray, target: Path, rate: int = 16000) -> Path:
    """16-bit mono PCM WAV."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16)
    with av.open(str(target), "w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=rate)
        stream.layout = "mono"  # type: ignore[union-attr]
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):  # type: ignore[union-attr]
            out.mux(packet)
        for packet in stream.encode(None):  # type: ignore[union-attr]
            out.mux(packet)
    return target


def speech_with_silences(parts: list[Path | float], target: Path, rate: int = 16000) -> Path:
    """Real speech and silences in the order given: a path is its speech, a number that many seconds
    of silence (`[5.0, JFK]`: JFK's words 5 s into the file)."""
    pieces = [
        np.zeros(int(part * rate), np.float32) if isinstance(part, float | int) else read_mono(part, rate)
        for part in parts
    ]
    return write_wav(np.concatenate(pieces), target, rate)
