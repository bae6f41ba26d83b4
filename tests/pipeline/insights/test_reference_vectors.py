from __future__ import annotations

import numpy as np

from convoscope.pipeline.insights.name_likeness import COMPANIES, PEOPLE, PLACES
from convoscope.pipeline.insights.organizations import organization_names
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import parsed

REFERENCES = (*PLACES, *COMPANIES, *PEOPLE)


def test_organisation_references_are_embedded_once_per_process(models: LanguageModels) -> None:
    lines = [
        ("Rosa", "We moved the billing export to Acme Corporation last week."),
        ("Tom", "Their support said the Lisbon office can take it."),
    ]
    fresh = LanguageModels()  # a process's models: no vectors made yet
    embedded: list[list[str]] = []
    embed = fresh.embed

    def counting(texts: list[str]) -> np.ndarray:
        embedded.append(list(texts))
        return embed(texts)

    fresh.embed = counting  # type: ignore[method-assign]
    first = organization_names(parsed(fresh, lines))
    second = organization_names(parsed(fresh, lines))
    assert first == second and "acme corporation" in first
    with_references = [texts for texts in embedded if set(REFERENCES) <= set(texts)]
    assert len(with_references) == 1  # the second conversation reuses them
    assert np.array_equal(fresh.embed_fixed(REFERENCES), models.embed(list(REFERENCES)))


def test_the_word_piece_vocabulary_is_read_once_per_process(models: LanguageModels) -> None:
    """The tokenizer builds its vocabulary dict anew on every `get_vocab` call (30-70 ms, as much as
    the rest of a short call's insights), so the models hold one copy that every conversation reads."""
    lines = [("Rosa", "Truxly quoted us for the Holcim delivery."), ("Tom", "Code review is Friday.")]
    fresh = LanguageModels()
    tokenizer = fresh.embedder().tokenizer
    reads: list[int] = []
    get_vocab = tokenizer.get_vocab

    def counting() -> dict[str, int]:
        reads.append(1)
        return get_vocab()

    tokenizer.get_vocab = counting
    try:
        first = organization_names(parsed(fresh, lines))
        assert organization_names(parsed(fresh, lines)) == first
    finally:
        del tokenizer.get_vocab
    assert len(reads) == 1
    vocabulary = fresh.vocabulary()
    assert "code" in vocabulary and "truxly" not in vocabulary
