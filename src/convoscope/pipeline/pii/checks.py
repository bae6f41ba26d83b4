"""Check digits and number rules that tell a real card, routing number, IBAN or SSN from chance digits."""

from __future__ import annotations


def luhn(digits: str) -> bool:
    """The Luhn check of card numbers (ISO/IEC 7812)."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def aba_routing(digits: str) -> bool:
    """The ABA routing number checksum: 3, 7, 1 weights over nine digits."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def iban(code: str) -> bool:
    """ISO 13616: the country and check digits moved to the end, letters as numbers, mod 97 is 1."""
    compact = code.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum() or not compact[:2].isalpha():
        return False
    if not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def ssn(digits: str) -> bool:
    """A possible SSN: no 000, 666 or 9xx area, no 00 group, no 0000 serial."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


def nanp_phone(digits: str) -> bool:
    """A North American number: ten digits (or eleven with the country code 1), area code and
    exchange not starting with 0 or 1."""
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return len(digits) == 10 and digits[0] not in "01" and digits[3] not in "01"
