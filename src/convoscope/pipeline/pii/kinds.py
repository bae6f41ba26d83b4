"""The kinds of personal and payment data found, and one found piece of it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class PiiKind(StrEnum):
    CARD_NUMBER = "card_number"  # 13-19 digits passing the Luhn check (or said to be a card number)
    CARD_CVV = "card_cvv"
    CARD_EXPIRY = "card_expiry"
    CARD_PIN = "card_pin"
    IBAN = "iban"
    SWIFT = "swift"
    ROUTING_NUMBER = "routing_number"  # US ABA routing number
    ACCOUNT_NUMBER = "account_number"  # US bank account number
    PERSON_NAME = "person_name"
    EMAIL = "email"
    AGE = "age"
    PHONE_NUMBER = "phone_number"
    ADDRESS = "address"
    DATE_OF_BIRTH = "date_of_birth"
    SSN = "ssn"
    PASSPORT_NUMBER = "passport_number"
    DRIVERS_LICENSE = "drivers_license"
    DATE = "date"
    DOMAIN_NAME = "domain_name"


@dataclass(frozen=True)
class PiiSpan:
    """A piece of personal data in one text: `text[start:end]`, of `kind`, meaning `value`
    (normalised: the digits of a number, an ISO date, a lower-case e-mail address)."""

    kind: PiiKind
    start: int
    end: int
    value: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "start": self.start, "end": self.end, "value": self.value}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PiiSpan:
        return cls(PiiKind(data["kind"]), int(data["start"]), int(data["end"]), str(data["value"]))
