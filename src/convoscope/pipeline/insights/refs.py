"""What an insight points to: the people it names and the places in messages where something is said.

Both are shared by several insight kinds and stored with them (see `result.InsightResult.to_json`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from convoscope.pipeline.types import Speaker


@dataclass(frozen=True)
class Person:
    """Someone an insight names.

    A member carries its id, with its name and contact as they were when the insights were made
    (whoever shows the insight may look the member up again by id). A person named in the talk who
    is not a member ("Carlos will review it") has a name only.
    """

    name: str
    member_id: str | None = None
    email: str | None = None  # the member's e-mail, else its user id

    @classmethod
    def of(cls, speaker: Speaker) -> Person:
        return cls(name=speaker.name, member_id=speaker.id or None, email=speaker.email)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "member_id": self.member_id, "email": self.email}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Person:
        return cls(name=data["name"], member_id=data.get("member_id"), email=data.get("email"))


def person_of(speaker: Speaker | None) -> Person | None:
    return Person.of(speaker) if speaker is not None else None


def person_json(person: Person | None) -> dict[str, Any] | None:
    return person.to_json() if person is not None else None


def person_from_json(data: dict[str, Any] | None) -> Person | None:
    return Person.from_json(data) if data is not None else None


@dataclass(frozen=True)
class MessageRef:
    """A message that says (or means) something, with the message's text.

    `offset` is the character offset of what is said in the message text; None when the message
    means it in other words (a tracker's semantic match).
    """

    message_id: str
    text: str
    offset: int | None

    def to_json(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "text": self.text, "offset": self.offset}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MessageRef:
        return cls(message_id=data["message_id"], text=data["text"], offset=data["offset"])
