"""Date and time expressions: where they are, and the moment they mean.

Expressions come from spaCy's DATE/TIME entities plus a few spoken forms the small model misses
("EOD", "end of the week"). They are resolved relative to the conversation's reference time in its
local timezone: "tomorrow" is the next local day, reported as local midnight in UTC (as Symbl does);
a part of day ("tomorrow evening") sets the hour.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
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
# After a time of day: "8:30 at night", "4:30 in the morning".
PART_OF_DAY_AFTER_CLOCK = re.compile(r"\s+(?:in the|at) (?:morning|afternoon|evening|night)\b", re.IGNORECASE)
PART_OF_DAY_HOURS = {"morning": 9, "noon": 12, "afternoon": 14, "evening": 18, "night": 20, "tonight": 20}
DURATION = re.compile(
    r"^(?:about |around |roughly |for |usually |up to |over |almost |nearly )?"
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|twenty|thirty|forty|fifty|sixty|ninety|"
    r"a few|a couple of|several|\d+)(?: to \w+)?\s+(?:\w+\s+)?"
    r"(?:minutes?|hours?|days?|nights?|weeks?|months?|years?)$",
    re.IGNORECASE,
)
# "half past two" is a time of day, not the past.
PAST_WORDS = re.compile(
    r"\b(?:ago|last|yesterday|earlier|previous|(?<!half )(?<!quarter )(?<!five )(?<!ten )(?<!twenty )past)\b",
    re.IGNORECASE,
)
PERIODIC_WORDS = re.compile(r"\b(?:every|each|daily|weekly|monthly|annually|per)\b", re.IGNORECASE)


# A time of day: "5 p.m.", "10:30", "noon", and the spoken "11 o'clock", "half past four", "quarter to
# midnight", "half three" (half past three). Without a.m. or p.m., 1 to 6 o'clock is in the afternoon
# (people meet at "2:15", not at a quarter past two at night).
HOUR_WORDS: tuple[str, ...] = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
HOUR = r"(?:1[0-2]|0?[1-9]|" + "|".join(HOUR_WORDS) + r")"
CLOCK = re.compile(
    r"\b(?P<hour>\d{1,2})(?::(?P<minute>\d\d))?\s*(?P<half>[ap])\.?\s?m\b\.?|"
    r"\b(?P<bare_hour>\d{1,2}):(?P<bare_minute>\d\d)\b|"
    rf"\b(?P<oclock>{HOUR}) o'clock\b|"
    rf"\b(?P<part>half|quarter) (?P<relation>past|to) (?P<of_hour>{HOUR}|midnight|noon|midday)\b|"
    rf"\bhalf (?P<half_hour>{HOUR})\b|"
    # "at ten past six", "by five to two": minutes said in words, after a word that sets a time ("five
    # to ten people" is a range)
    r"(?:^|(?<=\bat )|(?<=\bby )|(?<=\baround )|(?<=\bfrom )|(?<=\buntil )|(?<=\bbefore )|(?<=\bafter ))"
    rf"(?P<minutes>five|ten|twenty|twenty-five) (?P<minutes_relation>past|to) (?P<minutes_of>{HOUR})\b|"
    r"\b(?P<word>noon|midday|midnight)\b|"
    # "they deliver tomorrow at 11.": an hour alone after "at", ending the clause
    r"\bat (?P<at_hour>1[0-2]|[1-9])"
    r"(?=\s*(?:[,.?!](?!\d)|$|on\b|sharp\b|then\b|tomorrow\b|today\b|tonight\b))",
    re.IGNORECASE,
)
# "8:30 at night", "4:30 in the morning": the part of the day settles the half of it.
EVENING = re.compile(r"\b(?:evening|night|afternoon)\b", re.IGNORECASE)
MORNING = re.compile(r"\bmorning\b", re.IGNORECASE)
DAY_WORDS = re.compile(
    r"\b(?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|\d{1,2}/\d{1,2})\b",
    re.IGNORECASE,
)
JOINING = re.compile(r"^\s*(?:,\s*)?(?:at|around|by|from|on|,)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int  # character offset in the parsed doc
    label: str  # "date", "time" (a time of day), "datetime" (a day and a time of day), "duration"
    moment: datetime | None  # UTC; None when it does not name a point in time
    clock: time | None = None  # the time of day it names, as said (local)


MINUTE_WORDS = {"five": 5, "ten": 10, "twenty": 20, "twenty-five": 25}


def _hour_of(said: str) -> int:
    return int(said) if said.isdigit() else HOUR_WORDS.index(said.lower()) + 1


def _spoken(match: re.Match[str]) -> tuple[int, int]:
    """Hour and minute of a time said without a.m. or p.m. ("4:30", "3 o'clock", "quarter to ten")."""
    if match["bare_hour"]:
        return int(match["bare_hour"]), int(match["bare_minute"])
    if match["oclock"]:
        return _hour_of(match["oclock"]), 0
    if match["half_hour"]:
        return _hour_of(match["half_hour"]), 30
    if match["at_hour"]:
        return int(match["at_hour"]), 0
    if match["minutes"]:
        hour, minutes = _hour_of(match["minutes_of"]), MINUTE_WORDS[match["minutes"].lower()]
        return (
            ((hour - 1) or 12, 60 - minutes) if match["minutes_relation"].lower() == "to" else (hour, minutes)
        )
    said = match["of_hour"].lower()
    hour = {"midnight": 24, "noon": 12, "midday": 12}.get(said) or _hour_of(said)
    minutes = 30 if match["part"].lower() == "half" else 15
    if match["relation"].lower() == "to":
        return (hour - 1) or 12, 60 - minutes  # "quarter to one" is 12:45
    return hour % 24, minutes


def clock_of(text: str) -> time | None:
    """The time of day an expression names ("5 p.m." -> 17:00, "2:15" -> 14:15, "half three" -> 15:30,
    "8:30 at night" -> 20:30), if any."""
    match = CLOCK.search(text)
    if match is None:
        return None
    if match["word"]:
        return time(0) if match["word"].lower() == "midnight" else time(12)
    if match["hour"]:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        hour = hour % 12 + (12 if match["half"].lower() == "p" else 0)
    else:
        hour, minute = _spoken(match)
        rest = text[match.end() :]
        evening = hour < 12 and EVENING.search(rest)
        if evening or (1 <= hour <= 6 and not MORNING.search(rest)):
            hour += 12
    return time(hour, minute) if hour < 24 and minute < 60 else None


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


@functools.lru_cache(maxsize=4096)
def resolve(text: str, reference_time: datetime, offset_minutes: int | None) -> datetime | None:
    """The UTC moment an expression names, or None for past, periodic or unparseable ones.

    Kept for the next call with the same words: dateparser takes milliseconds, and a meeting says
    "tomorrow" and "Friday" many times."""
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
        # "this afternoon" is today
        day_words = r"\b(?:this )?(?:morning|afternoon|evening|night|noon|midday)\b"
        day_text = re.sub(day_words, "", cleaned).strip() or "today"
        spoken = CLOCK.search(day_text)
        if spoken and (spoken["oclock"] or spoken["part"] or spoken["half_hour"] or spoken["minutes"]):
            # dateparser reads no "11 o'clock" or "half three": the day alone, the clock set below
            day_text = (day_text[: spoken.start()] + day_text[spoken.end() :]).strip(" ,")
            day_text = re.sub(r"^(?:at|on|by)\s+|\s+(?:at|on|by)$", "", day_text) or "today"
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
        clock = clock_of(cleaned)
        if clock is not None:
            parsed = parsed.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
        elif hour is not None:
            parsed = parsed.replace(hour=hour, minute=0, second=0, microsecond=0)
        else:
            parsed = parsed.replace(hour=0, minute=0, second=0, microsecond=0)
        moment = parsed
    return moment.replace(tzinfo=zone).astimezone(UTC)


def _spans(span: Span) -> list[tuple[int, int, str]]:
    """(start, end, spaCy label) of the date and time expressions, spoken forms added, in order;
    a day and a time ("Thursday at 10:30", "5 p.m. on Friday") are one span, two times in one
    ("between 7 a.m. and 9 a.m.") are two."""
    found: list[tuple[int, int, str]] = [
        # spaCy may call "half past two" a date
        (ent.start_char, ent.end_char, "TIME" if CLOCK.fullmatch(ent.text) else ent.label_)
        for ent in span.ents
        if ent.label_ in {"DATE", "TIME"}
    ]
    for pattern, label in ((SPOKEN_DATES, "DATE"), (CLOCK, "TIME")):  # "2:15" is often a CARDINAL
        for match in pattern.finditer(span.text):
            start, end = span.start_char + match.start(), span.start_char + match.end()
            inside = [f for f in found if start <= f[0] and f[1] <= end and (f[0], f[1]) != (start, end)]
            if label == "TIME" and inside:  # "quarter to one": spaCy's "quarter" is part of the time
                found = [f for f in found if f not in inside]
            if not any(s < end and start < e for s, e, _ in found):
                found.append((start, end, label))
    text = span.doc.text
    split: list[tuple[int, int, str]] = []
    for start, end, label in sorted(found):
        clocks = list(CLOCK.finditer(text, start, end))
        if len(clocks) > 1:
            split += [(m.start(), m.end(), "TIME") for m in clocks]
        else:
            split.append((start, end, label))
    merged: list[tuple[int, int, str]] = []
    for start, end, label in split:
        pair = {merged[-1][2], label} if merged else set()
        if pair == {"DATE", "TIME"} and JOINING.match(text[merged[-1][1] : start]):
            merged[-1] = (merged[-1][0], end, "DATETIME")
        else:
            merged.append((start, end, label))
    return merged


def find_dates(span: Span, reference_time: datetime, offset_minutes: int | None) -> list[DateMention]:
    """Date/time expressions in a sentence, in order, without overlaps."""
    doc_text = span.doc.text
    mentions = []
    for start, end, _label in _spans(span):
        # spaCy often stops before the part of the day: "tomorrow" + " evening".
        part_of_day = PART_OF_DAY_AFTER.match(doc_text, end)
        if part_of_day is None and clock_of(doc_text[start:end]) is not None:
            part_of_day = PART_OF_DAY_AFTER_CLOCK.match(doc_text, end)
        if part_of_day and part_of_day.end() <= span.end_char:
            end = part_of_day.end()
        text = doc_text[start:end]
        future = not PAST_WORDS.search(text)
        moment = resolve(text, reference_time, offset_minutes) if future else None
        clock = clock_of(text)
        if clock is not None:
            label = "datetime" if DAY_WORDS.search(text) else "time"
        else:
            label = "duration" if DURATION.match(text.lower().strip(" .,")) else "date"
        mentions.append(DateMention(text=text, start=start, label=label, moment=moment, clock=clock))
    return mentions


def local_day(moment: datetime, offset_minutes: int | None) -> date:
    """The day a moment falls on, where the conversation takes place."""
    return moment.astimezone(local_zone(offset_minutes)).date()


def local_date(moment: datetime, offset_minutes: int | None) -> str:
    """`local_day` as `YYYY-MM-DD`."""
    return local_day(moment, offset_minutes).isoformat()


def mention_value(mention: DateMention, offset_minutes: int | None) -> str:
    """A mention's typed value: a time of day `HH:MM:SS`, a local `YYYY-MM-DD HH:MM:SS`, a local
    `YYYY-MM-DD`, else the words said ("every Monday")."""
    if mention.label == "time" and mention.clock is not None:
        return mention.clock.isoformat()
    if mention.moment is None:
        return mention.text
    local = mention.moment.astimezone(local_zone(offset_minutes))
    return local.strftime("%Y-%m-%d %H:%M:%S") if mention.label == "datetime" else local.date().isoformat()


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
