"""Each kind of personal data, found where it is and told apart from look-alikes."""

from __future__ import annotations

import pytest

from convoscope.pipeline.pii import PiiKind, find_pii
from convoscope.pipeline.pii.checks import aba_routing, iban, luhn, ssn


def kinds(*texts: str) -> list[list[tuple[str, str, str]]]:
    """(kind, text found, value) per text, without the name finder's model."""
    return [
        [(s.kind.value, t[s.start : s.end], s.value) for s in spans]
        for t, spans in zip(texts, find_pii(texts), strict=True)
    ]


def only(text: str) -> list[tuple[str, str, str]]:
    return kinds(text)[0]


def test_check_digits() -> None:
    assert luhn("4111111111111111") and not luhn("4111111111111112")
    assert aba_routing("021000021") and not aba_routing("021000022")
    assert iban("GB82 WEST 1234 5698 7654 32") and not iban("GB83 WEST 1234 5698 7654 32")
    assert ssn("222445555") and not ssn("666445555") and not ssn("900445555")


@pytest.mark.parametrize(
    "said",
    [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "four one one one, one one one one, one one one one, one one one one",
        "forty one eleven, eleven eleven, eleven eleven, eleven eleven",
    ],
)
def test_card_numbers_written_or_spoken(said: str) -> None:
    assert only(f"Sure, it's {said}.") == [("card_number", said, "4111111111111111")]


def test_a_card_number_needs_its_check_digit_its_grouping_or_to_be_called_one() -> None:
    assert only("Order 4111111111111112 shipped.") == []
    assert only("Order 4111 1111 1111 1112 shipped.")[0][0] == "card_number"  # printed like a card
    misheard = "My card number is 4111 1111 1111 1112."
    assert only(misheard)[0][0] == "card_number"


def test_ssn_by_grouping_or_by_name() -> None:
    assert only("It's 222-44-5555.") == [("ssn", "222-44-5555", "222-44-5555")]
    said = "my social security number is two two two four four five five five five"
    assert only(said)[0][:2] == ("ssn", "two two two four four five five five five")
    assert only("We sold 222445555 units.") == []


@pytest.mark.parametrize("phone", ["(415) 555-2671", "415-555-2671", "415.555.2671", "+1 415 555 2671"])
def test_phone_numbers(phone: str) -> None:
    assert only(f"Call {phone} today.")[0][:2] == ("phone_number", phone)


def test_words_before_a_number_say_what_it_is() -> None:
    assert only("The security code is 123.")[0][:2] == ("card_cvv", "123")
    assert only("My PIN is 4321.")[0][:2] == ("card_pin", "4321")
    assert only("It expires oh four twenty seven.")[0] == ("card_expiry", "oh four twenty seven", "04/27")
    assert only("The routing number is 021000021.")[0][0] == "routing_number"
    assert only("Account number 12345678901.")[0][0] == "account_number"
    assert only("The area code is 415.") == []


def test_context_comes_from_the_message_before() -> None:
    asked, answered = kinds("What's the CVV on the back of the card?", "It's 123.")
    assert asked == [] and answered == [("card_cvv", "123", "123")]


def test_emails_and_domains() -> None:
    assert only("Mail ann.lee@example.com now.") == [("email", "ann.lee@example.com", "ann.lee@example.com")]
    assert only("It's ann dot lee at example dot com.")[0][2] == "ann.lee@example.com"
    assert only("See the pricing page at example.com today.") == [
        ("domain_name", "example.com", "example.com")
    ]


def test_banking_codes() -> None:
    found = only("IBAN GB82 WEST 1234 5698 7654 32, SWIFT DEUTDEFF.")
    assert [(kind, value) for kind, _, value in found] == [
        ("iban", "GB82WEST12345698765432"),
        ("swift", "DEUTDEFF"),
    ]
    assert only("Our BUSINESS plan is great.") == []


def test_addresses_dates_and_ages() -> None:
    found = only("I live at one twenty three Main Street, Springfield, Illinois 62704.")
    assert found == [
        (
            "address",
            "one twenty three Main Street, Springfield, Illinois 62704",
            "123 Main Street, Springfield, Illinois 62704",
        )
    ]
    assert only("I was born on October 3rd, 1982.") == [("date_of_birth", "October 3rd, 1982", "1982-10-03")]
    assert only("Date of birth, December twenty third, nineteen ninety nine.")[0][2] == "1999-12-23"
    assert only("It expires April 2027.") == [("card_expiry", "April 2027", "04/27")]
    assert only("We launch on March 5, 2026.") == [("date", "March 5, 2026", "2026-03-05")]
    assert only("I'm forty two years old.") == [("age", "forty two", "42")]
    assert only("It takes 42 minutes.") == []


def test_documents() -> None:
    assert only("My passport number is C03005988.") == [("passport_number", "C03005988", "C03005988")]
    assert only("My driver's license is D1234567.") == [("drivers_license", "D1234567", "D1234567")]
    spelled = only("My license is D as in David one two three four five six seven.")
    assert spelled == [("drivers_license", "D as in David one two three four five six seven", "D1234567")]
    asked, _, answered = kinds("Would a passport work?", "Yes, what is the number?", "K4418207.")
    assert asked == [] and answered == [("passport_number", "K4418207", "K4418207")]
    assert only("Your license key is ABCD-1234-EFGH.") == []


def test_names_with_the_model(models: object) -> None:
    texts = [
        "Hi, this is Maria Garcia from billing.",
        "Please let Rebecca know.",
        "We need it for the Denver office.",
    ]
    found = find_pii(texts, models=models)  # type: ignore[arg-type]
    names = [
        [t[s.start : s.end] for s in spans if s.kind == PiiKind.PERSON_NAME]
        for t, spans in zip(texts, found, strict=True)
    ]
    assert names == [["Maria Garcia"], ["Rebecca"], []]


def test_known_names_are_found_without_the_model() -> None:
    (found,) = find_pii(
        ["Thanks Ann, and Lee will call. Customer Support is here."],
        known_names=["Ann Lee", "Speaker 2", "Customer", "ann@example.com"],
    )
    assert [s.value for s in found] == ["Ann", "Lee"]


def test_a_number_said_across_two_messages_is_found_in_both() -> None:
    first, second = find_pii(["My card number is 4111 1111", "1111 1111."])
    assert [s.kind for s in first] == [PiiKind.CARD_NUMBER] and [s.kind for s in second] == [
        PiiKind.CARD_NUMBER
    ]
