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
