from __future__ import annotations

import pytest

from convoscope.pipeline.nlp import LanguageModels, default_models


@pytest.fixture(scope="session")
def models() -> LanguageModels:
    """The real spaCy model, loaded once for the whole run."""
    return default_models()
