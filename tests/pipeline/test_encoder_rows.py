"""The encoder one chunk at a time inside a batch (real tiny.en on real clips)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from convoscope.pipeline import chunk_decoder, decode
from convoscope.pipeline.chunk_decoder import decode_speech
from convoscope.pipeline.encoder_rows import RowByRowEncoder, encoder_rows
from convoscope.pipeline.models.pool import ModelPool
from convoscope.pipeline.speech_chunks import SpeechMap, speech_regions
from tests.fixtures.paths import SHARED_DATA as DATA

SR = decode.SAMPLE_RATE
KWARGS = {"language": "en", "beam_size": 5, "word_timestamps": True}
CLIPS = ("conv2_harvard.wav", "jfk.flac", "pyannote_sample.wav")


@pytest.fixture(scope="module")
def model(speech_pool: ModelPool) -> Any:
    return ModelPool(speech_pool.models_dir, streams=1, cpu_threads=1).get("tiny.en")


def _features(model: Any) -> np.ndarray:
    """Log-mel features of the first 30 s of each clip, padded to Whisper's window."""
    rows = []
    for clip in CLIPS:
        audio = decode.decode(DATA / clip)[: 30 * SR]
        rows.append(model.feature_extractor(np.pad(audio, (0, 30 * SR - len(audio))))[:, :3000])
    return np.stack(rows).astype(np.float32)


def test_rows_encode_to_the_same_output_bit_for_bit(model: Any) -> None:
    features = _features(model)
    whole = np.asarray(model.encode(features))
    rows = np.asarray(RowByRowEncoder(model).encode(features))
    assert rows.shape == whole.shape == (3, 1500, 384)
    assert np.array_equal(rows, whole)


def test_only_a_float32_encoder_on_the_host_is_split(model: Any) -> None:
    assert isinstance(encoder_rows(model), RowByRowEncoder)  # int8 on the CPU: float32 output

    class Generator:
        device, compute_type = "cuda", "float16"

    class OnAGpu:
        model = Generator()

    gpu = OnAGpu()
    assert encoder_rows(gpu) is gpu


@pytest.mark.slow
def test_a_batch_decodes_the_same_words_with_its_rows_encoded_apart(
    model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clips joined twice with pauses, in batches of up to three chunks: the encoder sees one chunk a
    call, and the words and their times are those of each batch encoded at once."""
    pause = np.zeros(2 * SR, dtype=np.float32)
    clips = [decode.decode(DATA / clip)[: 25 * SR] for clip in CLIPS * 2]
    audio = np.concatenate([part for clip in clips for part in (clip, pause)])
    speech = SpeechMap.of(speech_regions(audio))
    batches: list[int] = []
    real = model.encode

    def encode(features: np.ndarray) -> Any:
        batches.append(int(features.shape[0]))
        return real(features)

    monkeypatch.setattr(model, "encode", encode)
    apart = decode_speech(model, audio, speech, KWARGS, batch_size=3, streams=1, greedy_first=True)
    assert set(batches) == {1} and len(batches) >= 4
    monkeypatch.setattr(chunk_decoder, "encoder_rows", lambda whole: whole)
    batches.clear()
    together = decode_speech(model, audio, speech, KWARGS, batch_size=3, streams=1, greedy_first=True)
    assert max(batches) > 1  # batches of several chunks (balanced: 2 + 2)
    assert len(apart.words) > 100
    assert [(w.text, w.start, w.end) for w in apart.words] == [
        (w.text, w.start, w.end) for w in together.words
    ]
