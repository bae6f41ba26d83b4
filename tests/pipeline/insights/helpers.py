"""Small builders for insight tests: a transcript from (speaker, text) lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from convoscope.pipeline.insights.options import InsightOptions
from convoscope.pipeline.insights.parsed import ParsedConversation, parse_conversation
from convoscope.pipeline.insights.utterances import Utterance, read_utterances
from convoscope.pipeline.nlp import LanguageModels
from convoscope.pipeline.types import Speaker, Transcript, TranscriptMessage

# A Monday afternoon, so "tomorrow" is Tuesday 2024-03-05 and "Friday" is 2024-03-08.
REFERENCE_TIME = datetime(2024, 3, 4, 15, 0, tzinfo=UTC)


def speaker(name: str) -> Speaker:
    return Speaker(id=f"id-{name.lower()}", name=name, email=f"{name.lower()}@example.com")


def transcript_of(
    lines: Sequence[tuple[str, str]],
    *,
    language: str = "en-US",
    seconds_per_message: float | None = None,
    conversation_id: str = "5000000000000001",
) -> Transcript:
    """One message per line; with `seconds_per_message`, back-to-back message times."""
    speakers = {name: speaker(name) for name, _ in lines}
    messages = []
    for index, (name, text) in enumerate(lines):
        start = end = None
        if seconds_per_message is not None:
            start = REFERENCE_TIME + timedelta(seconds=index * seconds_per_message)
            end = start + timedelta(seconds=seconds_per_message)
        messages.append(TranscriptMessage(f"{6000000000000000 + index}", text, speakers[name], start, end))
    return Transcript(
        conversation_id=conversation_id,
        messages=tuple(messages),
        reference_time=REFERENCE_TIME,
        language=language,
        members=tuple(speakers.values()),
    )


def parsed(models: LanguageModels, lines: Sequence[tuple[str, str]]) -> ParsedConversation:
    return parse_conversation(transcript_of(lines), models)


BUSINESS_MEETING = (
    "Hello.  So this is a live demo that we are trying to give very we are going to show how the platform "
    "detects various insights can do transcription in real-time and also the different topics of "
    "discussions, which would be generated after the call is over, and they will be an email that will be "
    "sent to the inbox.  So that is the idea.  So I am going to do a quick conversation.  I would say where "
    "I will demonstrate all of this great catching up.  Thanks for calling good to hear.  From you.  And I "
    "would love to hear more about what you have to offer?  I will set up a time and appointment probably "
    "sometime tomorrow evening where we can go over the documents that you are providing.  I love all the "
    "plants.  I just need to discuss with my family in terms of which one will we go forward with it?  It "
    "very excited to hear from you and the discount and look forward to talking sharply.  I have a quick "
    "question though.  Is there basically website?  Where I can go to and look at all these details "
    "myself.  It will be very helpful.  Can you also share the quotation to me on email so that I can go "
    "ahead and talk about it with my other kind of folks in the family? Thanks a lot.  Thanks for calling "
    "good catching up.  Talk soon."
)


def read(
    models: LanguageModels, lines: Sequence[tuple[str, str]]
) -> tuple[ParsedConversation, list[Utterance]]:
    """The parse of a made-up conversation and what each of its sentences is judged to be."""
    conversation = parsed(models, lines)
    return conversation, read_utterances(conversation, InsightOptions())
