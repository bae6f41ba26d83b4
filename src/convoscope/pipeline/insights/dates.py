"""Date and time expressions: where they are, and the moment they mean.

Expressions come from spaCy's DATE/TIME entities plus a few spoken forms the small model misses
("EOD", "end of the week"). They are resolved relative to the conversation's reference time in its
local timezone: "tomorrow" is the next local day, reported as local midnight in UTC (as Symbl does);
a part of day ("tomorrow evening") sets the hour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import dateparser

if TYPE_CHECKING:
    from spacy.tokens import Span

SPOKEN_DATES = re.compile(
    r"\b(?:(?:by |before )?(?:the )?end of (?:the |this |next )?(?:day|week|month|quarter|year)|eod|cob|"
    r"tonight|(?:this|tomorrow) (?:morning|afternoon|evening|night)|"
    r"(?:next|this) (?:week|month|quarter|monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    re.IGNORECASE,
)
LEADING_WORDS = re.compile(
    r"^(?:by|before|until|till|on|at|for|in|within|the|this coming|no later than)\s+", re.I
)
PART_OF_DAY_AFTER = re.compile(r"\s+(?:morning|afternoon|evening|night)\b", re.IGNORECASE)
PART_OF_DAY_HOURS = {"morning": 9, "noon": 12, "afternoon": 14, "evening": 18, "night": 20, "tonight": 20}
DURATION = re.compile(
    r"^(?:about |around |roughly |for |usually )?(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"a few|a couple of|several|\d+)(?: to \w+)?\s+(?:\w+\s+)?"
    r"(?:minutes?|hours?|days?|weeks?|months?|years?)$",
    re.IGNORECASE,
)
PAST_WORDS = re.compile(r"\b(?:ago|last|yesterday|earlier|previous|past)\b", re.IGNORECASE)
PERIODIC_WORDS = re.compile(r"\b(?:every|each|daily|weekly|monthly|annually|per)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int  # character offset in the parsed doc
    label: str  # "date" or "time"
    moment: datetime | None  # UTC; None when it does not name a point in time


def local_zone(offset_minutes: int | None) -> timezone:
    return timezone(timedelta(minutes=offset_minutes or 0))


def _end_of(unit: str, local_now: datetime) -> datetime:
    today = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "day":
        return today.replace(hour=17)
    if unit == "week":
        return today + timedelta(days=(4 - today.weekday()) % 7, hours=17)
    if unit == "month":
        first_of_next = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
        return first_of_next - timedelta(days=1)
    if unit == "quarter":
        quarter_end_month = ((today.month - 1) // 3 + 1) * 3
        first_after = (today.replace(month=quarter_end_month, day=28) + timedelta(days=4)).replace(day=1)
        return first_after - timedelta(days=1)
    return today.replace(month=12, day=31)


def resolve(text: str, reference_time: datetime, offset_minutes: int | None) -> datetime | None:
    """The UTC moment an expression names, or None for past, periodic or unparseable ones."""
    if PERIODIC_WORDS.search(text):
        return None
    zone = local_zone(offset_minutes)
    local_now = reference_time.astimezone(zone)
    cleaned = text.lower().strip(" .,")
    if DURATION.match(cleaned):
        return None  # "two years", "six weeks": how long, not when ("in two weeks" is when)
    while LEADING_WORDS.match(cleaned):
        cleaned = LEADING_WORDS.sub("", cleaned, count=1)
    moment: datetime | None
    end_match = re.match(r"end of (?:the |this )?(day|week|month|quarter|year)", cleaned)
    if cleaned in {"eod", "cob"}:
        moment = _end_of("day", local_now)
    elif end_match:
        moment = _end_of(end_match.group(1), local_now)
    elif cleaned == "this week":
        moment = _end_of("week", local_now)
    else:
        hour = next((h for word, h in PART_OF_DAY_HOURS.items() if re.search(rf"\b{word}\b", cleaned)), None)
        day_words = r"\b(?:this )?(?:morning|afternoon|evening|night|noon)\b"  # "this afternoon" is today
        day_text = re.sub(day_words, "", cleaned).strip() or "today"
        if day_text == "tonight":
            day_text = "today"
        if cleaned == "next week":
            day_text = "next monday"
        parsed = dateparser.parse(
            day_text,
            languages=["en"],
            settings={
                "RELATIVE_BASE": local_now.replace(tzinfo=None),
                "PREFER_DATES_FROM": "future",
                "RETURN_AS_TIMEZONE_AWARE": False,
            },
        )
        if parsed is None:
            return None
        has_clock_time = bool(re.search(r"\d\s*(?:am|pm|a\.m\.|p\.m\.)|\d:\d\d|\bnoon\b", cleaned))
        if hour is not None:
            parsed = parsed.replace(hour=hour, minute=0, second=0, microsecond=0)
        elif not has_clock_time:
            parsed = parsed.replace(hour=0, minute=0, second=0, microsecond=0)
        moment = parsed
    return moment.replace(tzinfo=zone).astimezone(UTC)


def find_dates(span: Span, reference_time: datetime, offset_minutes: int | None) -> list[DateMention]:
    """Date/time expressions in a sentence, in order, without overlaps."""
    found: list[tuple[int, int, str]] = [
        (ent.start_char, ent.end_char, "time" if ent.label_ == "TIME" else "date")
        for ent in span.ents
        if ent.label_ in {"DATE", "TIME"}
    ]
    for match in SPOKEN_DATES.finditer(span.text):
        start, end = span.start_char + match.start(), span.start_char + match.end()
        if not any(s < end and start < e for s, e, _ in found):
            found.append((start, end, "date"))
    doc_text = span.doc.text
    mentions = []
    for start, end, label in sorted(found):
        # spaCy often stops before the part of the day: "tomorrow" + " evening".
        part_of_day = PART_OF_DAY_AFTER.match(doc_text, end)
        if part_of_day and part_of_day.end() <= span.end_char:
            end = part_of_day.end()
        text = doc_text[start:end]
        future = not PAST_WORDS.search(text)
        moment = resolve(text, reference_time, offset_minutes) if future else None
        mentions.append(DateMention(text=text, start=start, label=label, moment=moment))
    return mentions


def local_day(moment: datetime, offset_minutes: int | None) -> date:
    """The day a moment falls on, where the conversation takes place."""
    return moment.astimezone(local_zone(offset_minutes)).date()


def local_date(moment: datetime, offset_minutes: int | None) -> str:
    """`local_day` as `YYYY-MM-DD`."""
    return local_day(moment, offset_minutes).isoformat()


def due_moment(
    mentions: list[DateMention], reference_time: datetime, offset_minutes: int | None
) -> datetime | None:
    """The first mention that names a point from the reference day up to two years on."""
    start_of_day = (
        reference_time.astimezone(local_zone(offset_minutes))
        .replace(hour=0, minute=0, second=0, microsecond=0)
        .astimezone(UTC)
    )
    for mention in mentions:
        if mention.moment and start_of_day <= mention.moment <= reference_time + timedelta(days=730):
            return mention.moment
    return None
