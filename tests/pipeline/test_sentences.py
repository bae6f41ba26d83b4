from __future__ import annotations

import pytest

from convoscope.pipeline.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello. So this is a live demo.", ["Hello.", "So this is a live demo."]),
        (
            "Best package for you is $69.99 per month. Thanks!",
            ["Best package for you is $69.99 per month.", "Thanks!"],
        ),
        ("I met Mr. Smith and Dr. Jones. They agreed.", ["I met Mr. Smith and Dr. Jones.", "They agreed."]),
        (
            "Is there basically website? Where I can go to",
            ["Is there basically website?", "Where I can go to"],
        ),
        ("J. K. Rowling wrote it... And then it sold.", ["J. K. Rowling wrote it...", "And then it sold."]),
        ("no punctuation at all", ["no punctuation at all"]),
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        ("First line\n\nSecond paragraph", ["First line", "Second paragraph"]),
        ("   ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
