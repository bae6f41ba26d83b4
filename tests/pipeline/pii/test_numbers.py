"""Numbers read the ways transcripts write them."""

from __future__ import annotations

import pytest

from convoscope.pipeline.pii.numbers import number_runs, spoken_as_digits


@pytest.mark.parametrize(
    ("text", "digits", "shape"),
    [
        ("4111 1111 1111 1111", "4111111111111111", (4, 4, 4, 4)),
        (
            "four one one one, one one one one, one one one one, one one one one",
            "4111111111111111",
            (4, 4, 4, 4),
        ),
        ("forty one eleven eleven eleven eleven eleven eleven eleven", "4111111111111111", (16,)),
        ("two two two, four four, five five five five", "222445555", (3, 2, 4)),
        ("222-44-5555", "222445555", (3, 2, 4)),
        ("(555) 234-5678", "5552345678", (3, 3, 4)),
        ("555.234.5678", "5552345678", (3, 3, 4)),
        ("oh four twenty seven", "0427", (4,)),
        ("double five three", "553", (3,)),
        ("eight hundred five five five one two one two", "8005551212", (10,)),
        ("one hundred five", "105", (3,)),
        ("two thousand twenty seven", "2027", (4,)),
        ("nineteen eighty two", "1982", (4,)),
    ],
)
def test_one_run(text: str, digits: str, shape: tuple[int, ...]) -> None:
    runs = number_runs(f"It is {text} today.")
    assert [(r.digits, r.shape) for r in runs] == [(digits, shape)]


def test_runs_stop_at_words_and_at_a_sentence_end() -> None:
    runs = number_runs("I was born in 1982. 2 years later I had one of them, oh well.")
    assert [r.digits for r in runs] == ["1982", "2", "1"]


def test_plus_marks_an_international_number() -> None:
    (run,) = number_runs("call +44 20 7946 0958")
    assert run.plus and run.digits == "442079460958"


def test_spoken_numbers_as_digits_keep_a_map_back() -> None:
    text = "I live at one twenty three Main Street."
    view = spoken_as_digits(text)
    assert view.text == "I live at 123 Main Street."
    start = view.text.index("123")
    assert (
        text[slice(*view.original(start, start + len("123 Main Street")))] == "one twenty three Main Street"
    )


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("my social security number is to one nine zero nine eight seven six five", ["219098765"]),
        ("four one five for five five two six", ["41545526"]),
        ("from nine to five", ["9", "5"]),  # a range, not a number
        ("please charge it to five five one six", ["5516"]),
        ("I went to one store", ["1"]),
    ],
)
def test_a_digit_written_as_its_homophone_inside_a_spoken_number(said: str, digits: list[str]) -> None:
    assert [r.digits for r in number_runs(said)] == digits
