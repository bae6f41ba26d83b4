"""`convoscope voices ...` against a live server, with a real voice sample."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.fixtures.cli import Cli
from tests.fixtures.diarization import conv2_turns_wav, wav_bytes

pytestmark = pytest.mark.slow


def test_add_list_rename_delete(cli: Cli, tmp_path: Path) -> None:
    sample = tmp_path / "alice.wav"
    sample.write_bytes(conv2_turns_wav(range(1, 4), {"sb_spk1"}))
    added = cli("voices", "add", str(sample), "--name", "Alice", "--email", "alice@example.com")
    assert added.exit_code == 0, added.output
    voice_id = added.stdout.split()[0]
    assert "Alice" in added.stdout and "alice@example.com" in added.stdout

    listed = cli("voices", "list", "--json")
    assert listed.exit_code == 0, listed.output
    voices = json.loads(listed.stdout)
    assert [v["name"] for v in voices] == ["Alice"] and "voiceprint" not in listed.stdout.lower()

    renamed = cli("voices", "rename", voice_id, "--name", "Alice Ng")
    assert renamed.exit_code == 0 and "Alice Ng" in renamed.stdout
    assert cli("voices", "rename", voice_id).exit_code == 2  # nothing to change

    assert cli("voices", "enroll", "no-such-conversation", "no-such-member").exit_code == 4
    deleted = cli("voices", "delete", voice_id, "--yes")
    assert deleted.exit_code == 0, deleted.output
    assert cli("voices", "list").stdout.strip() == "no voices"
    assert cli("voices", "delete", voice_id, "--yes").exit_code == 4


def test_a_sample_without_speech_is_refused(cli: Cli, tmp_path: Path) -> None:
    silence = tmp_path / "silence.wav"
    silence.write_bytes(wav_bytes(np.zeros(16_000 * 3, dtype=np.float32)))
    result = cli("voices", "add", str(silence), "--name", "Nobody")
    assert result.exit_code == 2 and "speech" in result.output
