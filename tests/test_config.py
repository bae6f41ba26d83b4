"""Settings: sections read from `CONVOSCOPE_<prefix><FIELD>` variables, arguments over the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from convoscope.config import OTHER_NAMES, Settings


def test_each_section_reads_its_prefixed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVOSCOPE_ASR_MODEL", "tiny.en")
    monkeypatch.setenv("CONVOSCOPE_MAX_BODY_BYTES", "4096")
    monkeypatch.setenv("CONVOSCOPE_JOB_LEASE_SECONDS", "12.5")
    monkeypatch.setenv("CONVOSCOPE_RUN_WORKER", "false")
    monkeypatch.setenv("CONVOSCOPE_FETCH_ALLOW", '["10.0.0.0/8", "files.internal"]')
    monkeypatch.setenv("CONVOSCOPE_DATA_DIR", "/srv/convoscope")
    monkeypatch.setenv("CONVOSCOPE_OPENAI_KEEP", "true")
    monkeypatch.setenv("CONVOSCOPE_OPENAI_MAX_BYTES", "26214400")
    settings = Settings()
    assert settings.asr.model == "tiny.en"
    assert settings.limits.body_bytes == 4096
    assert settings.jobs.lease_seconds == 12.5
    assert settings.server.run_worker is False
    assert settings.fetch.allow == ["10.0.0.0/8", "files.internal"]
    assert settings.data_dir == Path("/srv/convoscope")
    assert settings.openai.keep is True and settings.openai.max_bytes == 26214400


@pytest.mark.parametrize(("name", "where"), sorted(OTHER_NAMES.items()))
def test_other_names_still_set_their_field(
    monkeypatch: pytest.MonkeyPatch, name: str, where: tuple[str, str]
) -> None:
    section, field = where
    value = "true" if field in ("json_lines", "preload_models") else "77"
    monkeypatch.setenv(name, value)
    got = getattr(getattr(Settings(), section), field)
    assert got == (True if value == "true" else 77)


def test_an_argument_for_one_field_keeps_the_environment_for_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONVOSCOPE_ASR_DEVICE", "cpu")
    monkeypatch.setenv("CONVOSCOPE_ASR_MODEL", "base")
    settings = Settings(asr={"model": "tiny.en"})
    assert (settings.asr.model, settings.asr.device) == ("tiny.en", "cpu")


def test_bad_values_fail_at_start_with_the_field_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVOSCOPE_ASR_BEAM_SIZE", "0")
    with pytest.raises(ValidationError, match="beam_size"):
        Settings()
    monkeypatch.delenv("CONVOSCOPE_ASR_BEAM_SIZE")
    with pytest.raises(ValidationError, match="nonsense"):
        Settings(asr={"nonsense": 1})


def test_settings_are_read_only() -> None:
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.asr.model = "tiny.en"  # type: ignore[misc]
