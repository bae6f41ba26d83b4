"""Whisper's languages: the same set faster-whisper accepts (less large-v3's `yue`), and the ways
clients name them."""

from __future__ import annotations

import pytest
from faster_whisper.tokenizer import _LANGUAGE_CODES

from convoscope.pipeline.whisper_languages import LANGUAGE_NAMES, language_name, whisper_language


def test_the_languages_are_faster_whispers() -> None:
    assert set(LANGUAGE_NAMES) == set(_LANGUAGE_CODES) - {"yue"}
    assert len(set(LANGUAGE_NAMES.values())) == len(LANGUAGE_NAMES)


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("en", "en"),
        ("DE", "de"),
        ("fr-CA", "fr"),
        ("pt_BR", "pt"),
        ("jv", "jw"),
        ("german", "de"),
        ("haw", "haw"),
    ],
)
def test_clients_name_languages_in_several_ways(given: str, code: str) -> None:
    assert whisper_language(given) == code


@pytest.mark.parametrize("given", ["", "xx", "klingon", "e", "yue"])
def test_unknown_languages(given: str) -> None:
    assert whisper_language(given) is None


def test_names() -> None:
    assert (language_name("en"), language_name("ht"), language_name("zz")) == (
        "english",
        "haitian creole",
        "zz",
    )
