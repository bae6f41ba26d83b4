"""One speech model pool for the whole session, shared by the pipeline tests (each model loads once)."""

from __future__ import annotations

import pytest

from convoscope.pipeline.models.pool import ModelPool


@pytest.fixture(scope="session")
def speech_pool(tmp_path_factory: pytest.TempPathFactory) -> ModelPool:
    """A pool over an empty models dir whose default is the bundled tiny.en."""
    return ModelPool(tmp_path_factory.mktemp("models"), default_model="tiny.en")
