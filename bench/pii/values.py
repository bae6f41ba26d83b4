"""Random but valid personal data for the labelled set, each in the forms a transcript writes it
(`written`), how a person says it (`said`, words a speech synthesiser reads as they would be spoken)
and its normalised value (`value`, to score speech, where the transcript's spelling is not known).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from convoscope.pipeline.pii.checks import aba_routing, luhn

DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
]  # fmt: skip
ORDINALS = [
    "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth", "twenty first", "twenty second", "twenty third",
    "twenty fourth", "twenty fifth", "twenty sixth", "twenty seventh", "twenty eighth",
]  # fmt: skip
FIRST_NAMES = [
    "James", "Maria", "Wei", "Priya", "Olivia", "Mohammed", "Sofia", "Liam", "Aisha", "Kenji", "Elena",
    "Carlos", "Fatima", "Noah", "Grace", "Dmitri", "Amara", "Lucas", "Hannah", "Rahul", "Chloe", "Mateo",
    "Ingrid", "Tomasz", "Yuki", "Daniel", "Rebecca", "Samuel", "Nadia", "Oscar",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Garcia", "Chen", "Patel", "Johnson", "Nguyen", "Okafor", "Kowalski", "Rossi", "Tanaka",
    "Müller", "Anderson", "Hernandez", "Kim", "Brown", "Ivanova", "Silva", "O'Brien", "Schmidt",
    "Williams", "Martinez", "Khan", "Larsen", "Dubois", "Moreno", "Walker", "Fischer", "Cohen",
]  # fmt: skip
STREETS = [
    "Main", "Oak", "Maple", "Cedar", "Elm", "Washington", "Lakeview", "Sunset", "Pine", "Highland",
    "Park", "Hillcrest", "Church", "Mill", "Riverside", "Franklin", "Jackson", "Willow", "Chestnut",
]  # fmt: skip
STREET_TYPES = ["Street", "Avenue", "Road", "Drive", "Lane", "Boulevard", "Court", "Way", "Place"]
CITIES = [
    ("Springfield", "Illinois", "62704"), ("Austin", "Texas", "78701"), ("Portland", "Oregon", "97205"),
    ("Denver", "Colorado", "80202"), ("Columbus", "Ohio", "43215"), ("Madison", "Wisconsin", "53703"),
    ("Raleigh", "North Carolina", "27601"), ("Tucson", "Arizona", "85701"), ("Albany", "New York", "12207"),
    ("Boise", "Idaho", "83702"),
]  # fmt: skip
MAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "example.org", "acme.io", "hotmail.com"]
WEB_DOMAINS = ["acmecorp.com", "brightpath.io", "northwind.net", "example.org", "bluefin.co", "greenleaf.com"]
BANKS = ["DEUT", "BOFA", "CHAS", "HSBC", "NWBK", "BNPA", "CITI", "BARC", "WFBI", "UBSW"]
SWIFT_COUNTRIES = ["DE", "US", "GB", "FR", "CH", "NL"]


@dataclass(frozen=True)
class Value:
    written: str
    said: str
    value: str


def spell_digits(digits: str, groups: tuple[int, ...] = ()) -> str:
    """Digits as words, commas between the groups: "two two two, four four, five five five five"."""
    words, cursor = [], 0
    for size in groups or (len(digits),):
        words.append(" ".join(DIGIT_WORDS[int(d)] for d in digits[cursor : cursor + size]))
        cursor += size
    return ", ".join(words)


def two_digits(number: int) -> str:
    if number < 10:
        return DIGIT_WORDS[number]
    if number < 20:
        return TEENS[number - 10]
    tens, unit = divmod(number, 10)
    return TENS[tens] + (f" {DIGIT_WORDS[unit]}" if unit else "")


def year_words(year: int) -> str:
    if 2000 <= year < 2010:
        return "two thousand" + (f" {DIGIT_WORDS[year - 2000]}" if year > 2000 else "")
    high, low = divmod(year, 100)
    return f"{two_digits(high)} {'oh ' + DIGIT_WORDS[low] if low < 10 else two_digits(low)}"


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def digits(self, n: int, first: str = "123456789") -> str:
        return self.rng.choice(first) + "".join(self.rng.choice("0123456789") for _ in range(n - 1))

    def grouped(self, digits: str, groups: tuple[int, ...], joiners: tuple[str, ...]) -> str:
        joiner, parts, cursor = self.rng.choice(joiners), [], 0
        for size in groups:
            parts.append(digits[cursor : cursor + size])
            cursor += size
        return joiner.join(parts)

    def number(self, digits: str, groups: tuple[int, ...], joiners: tuple[str, ...] = (" ", "-")) -> Value:
        """A number written grouped, or spoken digit by digit (half of the time in the transcript)."""
        said = spell_digits(digits, groups)
        written = said if self.rng.random() < 0.5 else self.grouped(digits, groups, joiners)
        return Value(written, said, digits)

    def card(self) -> Value:
        prefix, length = self.rng.choice([("4", 16), ("51", 16), ("55", 16), ("37", 15), ("6011", 16)])
        body = prefix + "".join(self.rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
        check = next(d for d in "0123456789" if luhn(body + d))
        digits = body + check
        groups = (4, 6, 5) if length == 15 else (4, 4, 4, 4)
        return self.number(digits, groups, (" ", "-", ""))

    def cvv(self) -> Value:
        return self.number(self.digits(3, "0123456789"), (3,), ("",))

    def pin(self) -> Value:
        return self.number(self.digits(4, "0123456789"), (4,), ("",))

    def expiry(self) -> Value:
        month, year = self.rng.randint(1, 12), self.rng.randint(25, 31)
        value = f"{month:02d}/{year}"
        style = self.rng.random()
        said = f"{'oh ' if month < 10 else ''}{two_digits(month)} {two_digits(year)}"
        if style < 0.35:
            return Value(value, said, value)
        if style < 0.7:
            return Value(said, said, value)
        named = f"{MONTHS[month - 1]} 20{year}"
        return Value(named, f"{MONTHS[month - 1]} {year_words(2000 + year)}", value)

    def ssn(self) -> Value:
        area = self.rng.randint(1, 665)
        digits = f"{area:03d}{self.rng.randint(1, 99):02d}{self.rng.randint(1, 9999):04d}"
        value = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
        return Value(
            value if self.rng.random() < 0.5 else spell_digits(digits, (3, 2, 4)),
            spell_digits(digits, (3, 2, 4)),
            digits,
        )

    def phone(self) -> Value:
        digits = self.digits(3, "23456789") + self.digits(3, "23456789") + self.digits(4, "0123456789")
        style = self.rng.random()
        said = spell_digits(digits, (3, 3, 4))
        if style < 0.3:
            written = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
        elif style < 0.55:
            written = self.grouped(digits, (3, 3, 4), ("-", ".", " "))
        elif style < 0.65:
            written = f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}"
        else:
            written = said
        return Value(written, said, digits)

    def routing(self) -> Value:
        while True:
            digits = self.digits(8, "0123") + "0"
            check = next((d for d in "0123456789" if aba_routing(digits[:8] + d)), None)
            if check is not None:
                digits = digits[:8] + check
                return self.number(digits, (9,), ("",))

    def account(self) -> Value:
        digits = self.digits(self.rng.randint(8, 12))
        return self.number(digits, (len(digits),), ("",))

    def iban(self) -> Value:
        country, bank = self.rng.choice([("GB", "WEST"), ("GB", "NWBK"), ("DE", ""), ("FR", "")])
        if country == "GB":
            bban = bank + self.digits(14, "0123456789")
        elif country == "DE":
            bban = self.digits(18, "0123456789")
        else:
            bban = self.digits(23, "0123456789")
        check = 98 - int("".join(str(int(c, 36)) for c in bban + country + "00")) % 97
        code = f"{country}{check:02d}{bban}"
        spaced = " ".join(code[i : i + 4] for i in range(0, len(code), 4))
        said = " ".join(DIGIT_WORDS[int(c)] if c.isdigit() else c for c in code)
        return Value(spaced if self.rng.random() < 0.6 else code, said, code)

    def swift(self) -> Value:
        code = (
            self.rng.choice(BANKS)
            + self.rng.choice(SWIFT_COUNTRIES)
            + self.rng.choice(["33", "2L", "FF", "3N", "PP", "22"])
        )
        if self.rng.random() < 0.3:
            code += self.rng.choice(["XXX", "500", "NYC"])
        said = " ".join(DIGIT_WORDS[int(c)] if c.isdigit() else c for c in code)
        return Value(code, said, code)

    def name(self, full: float = 0.7) -> Value:
        first = self.rng.choice(FIRST_NAMES)
        text = f"{first} {self.rng.choice(LAST_NAMES)}" if self.rng.random() < full else first
        return Value(text, text, text)

    def email(self) -> Value:
        first, last = (
            self.rng.choice(FIRST_NAMES).lower(),
            self.rng.choice(LAST_NAMES).lower().replace("'", ""),
        )
        last = last.replace("ü", "u")
        user = self.rng.choice(
            [
                f"{first}.{last}",
                f"{first}{last[0]}",
                f"{first}_{last}",
                f"{first[0]}{last}{self.rng.randint(1, 99)}",
            ]
        )
        domain = self.rng.choice(MAIL_DOMAINS)
        value = f"{user}@{domain}"
        said = value.replace("@", " at ").replace(".", " dot ").replace("_", " underscore ")
        return Value(value if self.rng.random() < 0.6 else said, said, value)

    def domain(self) -> Value:
        domain = self.rng.choice(WEB_DOMAINS)
        written = self.rng.choice([domain, f"www.{domain}", f"https://{domain}"])
        return Value(written, domain.replace(".", " dot "), domain)

    def age(self) -> Value:
        age = self.rng.randint(18, 89)
        return Value(str(age) if self.rng.random() < 0.5 else two_digits(age), two_digits(age), str(age))

    def address(self) -> Value:
        number = self.rng.randint(2, 9899)
        street = f"{self.rng.choice(STREETS)} {self.rng.choice(STREET_TYPES)}"
        city, state, zip_code = self.rng.choice(CITIES)
        tail = self.rng.choice(["", f", {city}", f", {city}, {state}", f", {city}, {state} {zip_code}"])
        written = f"{number} {street}{tail}"
        said_number = spell_digits(str(number)) if number > 999 and self.rng.random() < 0.5 else str(number)
        said = f"{said_number} {street}{tail}"
        return Value(written, said, f"{number} {street}")

    def birth_date(self) -> Value:
        return self._date(self.rng.randint(1940, 2005))

    def date(self) -> Value:
        return self._date(self.rng.randint(2024, 2027))

    def _date(self, year: int) -> Value:
        month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
        iso = f"{year}-{month:02d}-{day:02d}"
        said = f"{MONTHS[month - 1]} {ORDINALS[day]}, {year_words(year)}"
        written = self.rng.choice(
            [
                f"{MONTHS[month - 1]} {day}, {year}",
                f"{day}{_suffix(day)} of {MONTHS[month - 1]} {year}",
                f"{month:02d}/{day:02d}/{year}",
                said,
            ]
        )
        return Value(written, said, iso)

    def passport(self) -> Value:
        digits = self.digits(8, "0123456789")
        letter = self.rng.choice("ACEGKLMNPX")
        code = letter + digits if self.rng.random() < 0.6 else self.digits(9)
        said = " ".join(DIGIT_WORDS[int(c)] if c.isdigit() else c for c in code)
        return Value(code, said, code)

    def license(self) -> Value:
        code = self.rng.choice("ABDFGHKMNS") + self.digits(7, "0123456789")
        said = " ".join(DIGIT_WORDS[int(c)] if c.isdigit() else c for c in code)
        return Value(code, said, code)


def _suffix(day: int) -> str:
    return "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
