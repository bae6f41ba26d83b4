"""Postal addresses, US style: a house number and a street ("123 Main Street", "one twenty three
Main Street" once spoken numbers are digits), with an apartment, a city, a state and a ZIP code
when they follow; a PO box; or a city, a state and a ZIP code on their own."""

from __future__ import annotations

import re

from convoscope.pipeline.pii.kinds import PiiKind, PiiSpan
from convoscope.pipeline.pii.numbers import DigitView

STREET_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|"
    "Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Loop|Alley|Plaza|Crescent|Close|Row|"
    "Expressway|Freeway|Turnpike|Pike|Run|Path|Walk|Commons"
)
STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|"
    "Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|"
    "Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|"
    "New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|"
    "South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|"
    "Wisconsin|Wyoming|District of Columbia"
)
STATE_CODES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
    "NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)
_STATE = rf"(?:{STATE_NAMES}|(?:{STATE_CODES})\b)"
_ZIP = r"\d{5}(?:-\d{4})?\b"
_WORD = r"(?:[A-Z][a-zA-Z'-]+|\d+(?:st|nd|rd|th))"
_CITY = r"[A-Z][a-zA-Z'-]+(?:\s+[A-Z][a-zA-Z'-]+){0,2}"
_DIRECTION = r"(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?\s+)?"
_UNIT = r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|Room|#)\.?\s*#?\s*[A-Za-z0-9-]+)?"
_LOCALITY = (
    rf"(?:,\s*{_CITY}(?:,?\s+{_STATE})?(?:,?\s+{_ZIP})?"  # ", Springfield, Illinois 62704"
    rf"|\s+{_CITY},?\s+{_STATE}(?:,?\s+{_ZIP})?"  # " Springfield Illinois"
    rf"|,?\s+{_ZIP})?"
)
STREET = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?\s+{_DIRECTION}"
    rf"(?:(?:{_WORD}\s+){{1,3}}(?:{STREET_TYPES})\b\.?|[A-Z][a-z]+way\b)"  # "123 Broadway", "9 Parkway"
    rf"{_UNIT}{_LOCALITY}"
)
PO_BOX = re.compile(r"\b(?:P\.?\s?O\.?\s?Box|Post Office Box)\s+\d+(?:,\s*" + _CITY + r")?", re.IGNORECASE)
CITY_STATE_ZIP = re.compile(rf"\b{_CITY},?\s+{_STATE},?\s+{_ZIP}")


def addresses(view: DigitView) -> list[PiiSpan]:
    """Addresses in a text whose spoken numbers are digits (`numbers.spoken_as_digits`)."""
    found = []
    for pattern in (STREET, PO_BOX, CITY_STATE_ZIP):
        for match in pattern.finditer(view.text):
            end = match.end() - (
                1 if match.group().endswith(".") and not match.group().endswith("St.") else 0
            )
            start, stop = view.original(match.start(), end)
            found.append(PiiSpan(PiiKind.ADDRESS, start, stop, " ".join(match.group().split()).rstrip(".")))
    return found
