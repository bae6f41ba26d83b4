"""Personal data types as Symbl names them (https://docs.symbl.ai/docs/redact): `PERSON_NAME`,
`EMAIL_ADDRESS`, `PHONE_NUMBER`, `SSN`, `DATE_OF_BIRTH`, `DRIVERS_LICENSE` are Symbl's own; the
others follow the same style. `exclude` lists also take the common other spellings (`NAME`,
`EMAIL`, `CREDIT_CARD`, `US_SSN`...), in any case."""

from __future__ import annotations

import re
from collections.abc import Iterable

from convoscope.errors import BadRequest
from convoscope.pipeline.pii import PiiKind

WIRE_NAMES: dict[PiiKind, str] = {
    PiiKind.CARD_NUMBER: "CREDIT_CARD_NUMBER",
    PiiKind.CARD_CVV: "CREDIT_CARD_CVV",
    PiiKind.CARD_EXPIRY: "CREDIT_CARD_EXPIRATION_DATE",
    PiiKind.CARD_PIN: "CREDIT_CARD_PIN",
    PiiKind.IBAN: "IBAN_CODE",
    PiiKind.SWIFT: "SWIFT_CODE",
    PiiKind.ROUTING_NUMBER: "US_BANK_ROUTING_NUMBER",
    PiiKind.ACCOUNT_NUMBER: "US_BANK_ACCOUNT_NUMBER",
    PiiKind.PERSON_NAME: "PERSON_NAME",
    PiiKind.EMAIL: "EMAIL_ADDRESS",
    PiiKind.AGE: "AGE",
    PiiKind.PHONE_NUMBER: "PHONE_NUMBER",
    PiiKind.ADDRESS: "ADDRESS",
    PiiKind.DATE_OF_BIRTH: "DATE_OF_BIRTH",
    PiiKind.SSN: "SSN",
    PiiKind.PASSPORT_NUMBER: "PASSPORT_NUMBER",
    PiiKind.DRIVERS_LICENSE: "DRIVERS_LICENSE",
    PiiKind.DATE: "DATE",
    PiiKind.DOMAIN_NAME: "DOMAIN_NAME",
}
_ALIASES: dict[str, PiiKind] = {
    **{name: kind for kind, name in WIRE_NAMES.items()},
    **{kind.name: kind for kind in PiiKind},
    "CREDIT_CARD": PiiKind.CARD_NUMBER,
    "CREDIT_DEBIT_NUMBER": PiiKind.CARD_NUMBER,
    "CREDIT_DEBIT_CARD_NUMBER": PiiKind.CARD_NUMBER,
    "DEBIT_CARD_NUMBER": PiiKind.CARD_NUMBER,
    "CVV": PiiKind.CARD_CVV,
    "CREDIT_DEBIT_CVV": PiiKind.CARD_CVV,
    "EXPIRATION_DATE": PiiKind.CARD_EXPIRY,
    "CREDIT_DEBIT_EXPIRY": PiiKind.CARD_EXPIRY,
    "CARD_EXPIRATION_DATE": PiiKind.CARD_EXPIRY,
    "PIN": PiiKind.CARD_PIN,
    "IBAN": PiiKind.IBAN,
    "SWIFT": PiiKind.SWIFT,
    "BIC": PiiKind.SWIFT,
    "BANK_ROUTING": PiiKind.ROUTING_NUMBER,
    "BANK_ROUTING_NUMBER": PiiKind.ROUTING_NUMBER,
    "BANK_ACCOUNT_NUMBER": PiiKind.ACCOUNT_NUMBER,
    "US_BANK_NUMBER": PiiKind.ACCOUNT_NUMBER,
    "NAME": PiiKind.PERSON_NAME,
    "PERSON": PiiKind.PERSON_NAME,
    "EMAIL": PiiKind.EMAIL,
    "PHONE": PiiKind.PHONE_NUMBER,
    "US_SSN": PiiKind.SSN,
    "SOCIAL_SECURITY_NUMBER": PiiKind.SSN,
    "DOB": PiiKind.DATE_OF_BIRTH,
    "PASSPORT": PiiKind.PASSPORT_NUMBER,
    "US_PASSPORT": PiiKind.PASSPORT_NUMBER,
    "DRIVER_LICENSE": PiiKind.DRIVERS_LICENSE,
    "DRIVERS_LICENSE_NUMBER": PiiKind.DRIVERS_LICENSE,
    "US_DRIVERS_LICENSE": PiiKind.DRIVERS_LICENSE,
    "US_DRIVER_LICENSE": PiiKind.DRIVERS_LICENSE,
    "DOMAIN": PiiKind.DOMAIN_NAME,
    "URL": PiiKind.DOMAIN_NAME,
}


def wire_name(kind: PiiKind) -> str:
    return WIRE_NAMES[kind]


def kinds_named(names: Iterable[str], field: str = "exclude") -> frozenset[PiiKind]:
    """The kinds a client names; 400 for a name that is none of them."""
    kinds = set()
    for name in names:
        key = re.sub(r"[^A-Z0-9]+", "_", name.strip().upper()).strip("_")
        if key not in _ALIASES:
            known = ", ".join(WIRE_NAMES.values())
            raise BadRequest(f'"{field}" has an unknown type {name!r}. Known types: {known}')
        kinds.add(_ALIASES[key])
    return frozenset(kinds)
