"""Hostile media files, made on the spot from real audio or from nothing."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import av
import numpy as np

from tests.conftest import SHARED_DATA


def random_bytes(size: int = 64 * 1024, seed: int = 8) -> bytes:
    return random.Random(seed).randbytes(size)


def text_file() -> bytes:
    return b"This is a text file with an .mp3 name and an audio/mpeg type.\n" * 50


def truncated_mp3() -> bytes:
    """The first third of a real MP3: the headers still announce the whole length."""
    return (SHARED_DATA / "hotwords.mp3").read_bytes()[:20000]


def wav_claiming(data_bytes: int, *, channels: int = 1, rate: int = 16000, payload: int = 32000) -> bytes:
    """A WAV header that claims `data_bytes` of PCM (up to 4 GiB), followed by `payload` bytes of silence."""
    block = channels * 2
    header = b"RIFF" + struct.pack("<I", min(0xFFFFFFFF, data_bytes + 36)) + b"WAVE"
    fmt = struct.pack("<IHHIIHH", 16, 1, channels, rate, (rate * block) & 0xFFFFFFFF, block & 0xFFFF, 16)
    header += b"fmt " + fmt
    return header + b"data" + struct.pack("<I", data_bytes) + bytes(payload)


def mp4_with_absurd_box() -> bytes:
    """An `ftyp` box, then a `moov` box that claims to be 16 EiB long (64-bit size)."""
    ftyp = struct.pack(">I", 20) + b"ftypisom" + struct.pack(">I", 512) + b"isom"
    moov = struct.pack(">I", 1) + b"moov" + struct.pack(">Q", 2**64 - 1) + bytes(64)
    return ftyp + moov


def silent_flac(path: Path, seconds: float, *, total_samples: int | None = None) -> bytes:
    """Digital silence in FLAC (a few bytes per second of audio); `total_samples` overwrites what the
    STREAMINFO header says the length is (0 means "unknown")."""
    rate = 16000
    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=rate, layout="mono")
        block = np.zeros((1, rate), dtype=np.int16)
        for second in range(int(seconds)):
            frame = av.AudioFrame.from_ndarray(block, format="s16", layout="mono")
            frame.sample_rate, frame.pts = rate, second * rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    data = bytearray(path.read_bytes())
    if total_samples is not None:
        # STREAMINFO starts at byte 8; its bytes 10-17 hold rate(20) channels(3) bits(5) samples(36).
        packed = int.from_bytes(data[18:26], "big")
        packed = (packed & ~((1 << 36) - 1)) | (total_samples & ((1 << 36) - 1))
        data[18:26] = packed.to_bytes(8, "big")
    return bytes(data)
