"""The start-up analysis must reach every lazily built part of the insights, or the first real job
pays for what it missed."""

from __future__ import annotations

import time
from pathlib import Path

from structlog.testing import capture_logs

from convoscope.jobs.processors import build_processors
from convoscope.pipeline.insights.warm_up import warm_up_insights
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.settings import make_settings


def test_the_made_up_call_gives_every_kind_of_insight(models: LanguageModels) -> None:
    result = warm_up_insights(models)

    assert len(result.questions) >= 2
    dated = [e for item in result.action_items for e in item.entities if e.kind == "date"]
    assert dated, result.action_items  # dateparser read a date
    assert {"date", "money"} <= {entity.kind for entity in result.entities}
    assert result.topics and result.summary and result.follow_ups
    assert [tracker.name for tracker in result.trackers] == ["Pricing"]
    assert len(result.message_sentiments) == 18


def test_preloading_workers_run_the_warm_up_analysis(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, worker={"preload_models": True}, asr={"model": "tiny.en"})
    with capture_logs() as logs:
        build_processors(settings)
        deadline = time.monotonic() + 300
        while not any(e["event"] in ("models.warmed_up", "models.warm_up_failed") for e in logs):
            assert time.monotonic() < deadline, "the warm-up never ended"
            time.sleep(0.1)
    assert [e["event"] for e in logs if e["event"].startswith("models.warm")] == ["models.warmed_up"]
