from __future__ import annotations

import pytest

from convoscope.pipeline.insights.dates import resolve
from tests.fixtures.insights import REFERENCE_TIME  # Monday 2024-03-04 15:00 UTC


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("tomorrow", "2024-03-05T00:00:00+00:00"),
        ("by Friday", "2024-03-08T00:00:00+00:00"),
        ("Friday morning", "2024-03-08T09:00:00+00:00"),
        ("this afternoon", "2024-03-04T14:00:00+00:00"),
        ("tonight", "2024-03-04T20:00:00+00:00"),
        ("EOD", "2024-03-04T17:00:00+00:00"),
        ("this week", "2024-03-08T17:00:00+00:00"),
        ("next week", "2024-03-11T00:00:00+00:00"),
        ("by the end of the month", "2024-03-31T00:00:00+00:00"),
        ("in two weeks", "2024-03-18T00:00:00+00:00"),
        ("March 15", "2024-03-15T00:00:00+00:00"),
    ],
)
def test_expressions_resolve_relative_to_the_reference_time(expression: str, expected: str) -> None:
    moment = resolve(expression, REFERENCE_TIME, None)
    assert moment is not None and moment.isoformat() == expected


@pytest.mark.parametrize("expression", ["two years", "six weeks", "every Monday", "weekly"])
def test_durations_and_repetitions_are_not_points_in_time(expression: str) -> None:
    assert resolve(expression, REFERENCE_TIME, None) is None
