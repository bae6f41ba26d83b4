"""Builds the labelled set: short call-centre and meeting exchanges with personal data in them.

    .venv/bin/python bench/pii/dataset.py      # writes bench/pii/main.jsonl and heldout.jsonl

Each template is one exchange (one or more messages); `{card}`, `{name}`, ... are filled with random
valid values (`values.Generator`), written as a transcript writes them (digits, or spoken words) and
labelled with their kind; `{=date:Friday}` labels a fixed text. The `main` templates were written
first and the detectors tuned on them; the `heldout` templates were written before the detectors
were first scored on them. Sentences without placeholders are negatives: numbers and capitalised
words that are not personal data.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from values import Generator, Value

HERE = Path(__file__).resolve().parent
KIND_OF = {
    "card": "card_number", "cvv": "card_cvv", "expiry": "card_expiry", "pin": "card_pin", "iban": "iban",
    "swift": "swift", "routing": "routing_number", "account": "account_number", "name": "person_name",
    "first": "person_name", "email": "email", "age": "age", "phone": "phone_number", "address": "address",
    "dob": "date_of_birth", "ssn": "ssn", "passport": "passport_number", "license": "drivers_license",
    "date": "date", "domain": "domain_name",
}  # fmt: skip

MAIN = [
    ["What card would you like to use?", "My Visa, the number is {card}."],
    ["Can I have the long number on the front of the card?", "Sure, it's {card}."],
    ["Please charge it to {card}, expiration {expiry}."],
    ["The card number is {card} and the security code on the back is {cvv}."],
    ["And the expiry date?", "It expires {expiry}."],
    ["What's the CVV?", "{cvv}."],
    ["I'll also need your PIN.", "My PIN is {pin}."],
    ["My social security number is {ssn}."],
    ["Can you verify the last four of your social?", "Sure, but the full one is {ssn}."],
    ["To confirm your identity, what is your SSN?", "It's {ssn}."],
    ["The best number to reach me is {phone}."],
    ["You can call me back at {phone} after five."],
    ["My cell is {phone}, and my office line is {phone}."],
    ["My email is {email}."],
    ["Please send the invoice to {email} by {=date:Friday}."],
    ["Hi, this is {name} from the billing team."],
    ["My name is {name} and I'm calling about my order."],
    ["Thanks {first}, I appreciate your help."],
    ["I spoke to {name} yesterday and she said the refund was approved."],
    ["Could you transfer me to {name} please?"],
    ["I live at {address}."],
    ["Please ship it to {address}."],
    ["My billing address is {address}."],
    ["My date of birth is {dob}."],
    ["I was born on {dob}."],
    ["I'm {age} years old."],
    ["The patient is {age} years old and was born on {dob}."],
    ["My routing number is {routing} and the account number is {account}."],
    ["The account number for the wire is {account}."],
    ["Wire it to IBAN {iban}, the SWIFT code is {swift}."],
    ["Our bank's BIC is {swift}."],
    ["My passport number is {passport}."],
    ["My driver's license number is {license}."],
    ["Let's meet on {date} to go over the proposal."],
    ["The contract renews on {date}."],
    ["You can find the details on {domain}."],
    ["Our new site is {domain}, it went live last week."],
    ["Hello {first}, can you confirm your email, {email}?"],
    ["This is {name}, my number is {phone} and my email is {email}."],
    # negatives
    ["The plan costs 49 dollars per month for up to 10 users."],
    ["We shipped 2500 units in the third quarter, up 12 percent."],
    ["Order number 58213 was delayed by two days."],
    ["Press one for billing, two for support."],
    ["The meeting room on the 4th floor seats twelve people."],
    ["Version 3.2.1 fixed the login bug from ticket 4471."],
    ["Our team in Chicago closed 18 deals worth 1.2 million."],
    ["Can you open the Salesforce report and check the Q3 numbers?"],
    ["It takes about 30 minutes to set up, maybe 45 with the training."],
    ["Room 1204 is booked from 2 to 4 in the afternoon."],
    ["The Amazon and Microsoft integrations are both in beta."],
    ["I have three kids and two dogs, so mornings are busy."],
    ["We need 150 licenses for the Denver office."],
    ["The error code was 500, then 404 after the restart."],
    ["Give me one second while I pull that up."],
]

HELDOUT = [
    [
        "Okay, go ahead with the card details whenever you're ready.",
        "It's {card}, expires {expiry}, code {cvv}.",
    ],
    ["For the debit card we'll need the four digit PIN.", "{pin}."],
    ["Sorry, could you repeat the card number?", "{card}."],
    ["Taxpayer ID, which is my social, is {ssn}."],
    ["Text me on {phone} if anything changes."],
    ["Her mobile number is {phone}."],
    ["Drop me a line at {email} or ring me on {phone}."],
    ["I forwarded it from {email} this morning."],
    ["Good morning, you're speaking with {name}, how can I help?"],
    ["{name} asked me to follow up on the contract."],
    ["Please let {first} know that the shipment arrived."],
    ["Mr. {name} will join the call at three."],
    ["We moved last month, the new place is {address}."],
    ["Send the replacement to {address}, attention {name}."],
    ["Date of birth, {dob}."],
    ["My daughter is {age}, she was born {dob}."],
    ["The transfer goes to routing {routing}, checking account {account}."],
    ["International transfers need the IBAN, that's {iban}."],
    ["Use SWIFT {swift} for the wire."],
    ["The passport on file is {passport}."],
    ["License number {license}, issued in California."],
    ["We postponed the launch to {date}."],
    ["Check the pricing page at {domain} for the latest plans."],
    ["I'm calling for {first}, she's {age} years old and her date of birth is {dob}."],
    # negatives
    ["The invoice total came to 1,249 dollars and 50 cents."],
    ["Extension 204 rings the front desk."],
    ["We're at 87 percent of the target with 9 days left."],
    ["The Johnson account renewed for 3 years."],
    ["Flight 2231 leaves from gate 14 at 6 45."],
    ["We tested it on 1024 by 768 screens and on iPhone 15."],
    ["Lincoln Financial and Wells Fargo both replied."],
    ["The model scored 0.93 on the benchmark."],
]


def render(template: list[str], generator: Generator) -> dict[str, object]:
    """One exchange: messages as a transcript writes them, as said, and the labels."""
    messages, said, labels = [], [], []
    for index, line in enumerate(template):
        written_line, said_line = "", ""
        cursor = 0
        for match in re.finditer(r"\{(=?\w+)(?::([^}]*))?\}", line):
            name = match.group(1)
            if name.startswith("="):  # a fixed text of a kind: {=date:Friday}
                name, value = name[1:], Value(match.group(2), match.group(2), match.group(2))
            elif name == "first":
                value = generator.name(full=0.0)
            else:
                value = getattr(generator, _method(name))()
            written_line += line[cursor : match.start()]
            said_line += line[cursor : match.start()]
            labels.append(
                {"message": index, "kind": KIND_OF[name], "start": len(written_line),
                 "end": len(written_line) + len(value.written), "text": value.written, "value": value.value}
            )  # fmt: skip
            written_line += value.written
            said_line += value.said
            cursor = match.end()
        messages.append(_capitalised(written_line + line[cursor:]))
        said.append(_capitalised(said_line + line[cursor:]))
    return {"messages": messages, "said": said, "labels": labels}


def _method(name: str) -> str:
    return {"dob": "birth_date"}.get(name, name)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def build(templates: list[list[str]], seed: int, copies: int) -> list[dict[str, object]]:
    generator = Generator(seed)
    items = []
    for number, template in enumerate(templates):
        has_values = any("{" in line for line in template)
        for copy in range(copies if has_values else 1):
            item = render(template, generator)
            item["id"] = f"t{number:02d}-{copy}"
            items.append(item)
    return items


def marked(path: Path) -> list[dict[str, object]]:
    """Hand-written exchanges (`heldout2.txt`): messages parted by " || ", data marked [[kind:text]]."""
    items = []
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")
    ]
    for number, line in enumerate(lines):
        messages, labels = [], []
        for index, part in enumerate(line.split(" || ")):
            text = ""
            cursor = 0
            for match in re.finditer(r"\[\[(\w+):(.+?)\]\]", part):
                text += part[cursor : match.start()]
                labels.append(
                    {"message": index, "kind": match.group(1), "start": len(text),
                     "end": len(text) + len(match.group(2)), "text": match.group(2), "value": match.group(2)}
                )  # fmt: skip
                text += match.group(2)
                cursor = match.end()
            messages.append(text + part[cursor:])
        items.append({"id": f"h{number:02d}", "messages": messages, "said": messages, "labels": labels})
    return items


def write(name: str, items: list[dict[str, object]]) -> None:
    with (HERE / f"{name}.jsonl").open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{name}: {len(items)} exchanges, {sum(len(i['labels']) for i in items)} labels")  # type: ignore[arg-type]


def main() -> None:
    for name, templates, seed in (("main", MAIN, 16), ("heldout", HELDOUT, 61)):
        write(name, build(templates, seed, copies=6))
    write("heldout2", marked(HERE / "heldout2.txt"))


if __name__ == "__main__":
    main()
