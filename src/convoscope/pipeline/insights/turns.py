"""What the turn before a sentence makes of it: readings checked against the other speaker's last turn.

The classifier reads each sentence with a few facts of its neighbours; some readings only settle
once the neighbours are read too. A short reply that takes on a request is what the request was
("Priti, could you give them a ring today?" - "Yep, I'll do it after lunch." is getting in touch).
An echo repeats what was just said ("...it's gone up ten percent." - "Ten percent?"), a sum or a
count said back without a verb is disbelief ("£850 for a bulb?"), and a topic
handed to someone by name ("Delivery drivers, Dev?") moves the meeting on: neither asks anything.
"""

from __future__ import annotations

from dataclasses import replace

from convoscope.pipeline.insights.classifier import Reading
from convoscope.pipeline.insights.features import SentenceFacts, is_short_reply, speaker_id
from convoscope.pipeline.insights.grammar import WH_WORDS, words

# Said before an echo without changing it: "Sorry, 48 hours?", "Oh, two years?"
ECHO_OPENERS = frozenset({"sorry", "oh", "what", "really", "wait", "hang", "on"})
VERB_TAGS = frozenset({"VERB", "AUX"})


def read_in_turn(facts: list[SentenceFacts], readings: list[Reading]) -> list[Reading]:
    """Each reading with the other speaker's last turn taken into account."""
    found = list(readings)
    for index, (fact, reading) in enumerate(zip(facts, readings, strict=True)):
        previous = _other_speakers_last(facts, index)
        heard = facts[previous] if previous is not None else None
        if reading.kind == "question" and (
            _echoes(fact, heard) or _hands_the_floor(fact) or _disbelief_at_a_number(fact)
        ):
            found[index] = replace(reading, question=0.0)
        elif (
            reading.kind == "action_item"
            and is_short_reply(fact)
            and previous is not None
            and readings[previous].kind == "follow_up"
        ):
            found[index] = replace(reading, follow_up=max(reading.follow_up, 0.6 * reading.action))
    return found


def _other_speakers_last(facts: list[SentenceFacts], index: int) -> int | None:
    """The other speaker's last sentence within the three before (None: the same speaker goes on)."""
    speaker = speaker_id(facts[index])
    others = [i for i in range(max(0, index - 3), index) if speaker_id(facts[i]) != speaker]
    return others[-1] if others else None


def _verbless(fact: SentenceFacts, but_relative: bool = False) -> bool:
    """No verb in the sentence; `but_relative`: none outside a relative clause ("£2,400 for a treadmill
    that's ten years old?")."""
    span = fact.sentence.span
    relative = {t.i for r in span if r.dep_ == "relcl" for t in r.subtree} if but_relative else set()
    return not any(t.pos_ in VERB_TAGS and t.i not in relative for t in span)


def _echoes(fact: SentenceFacts, previous: SentenceFacts | None) -> bool:
    """A question of a few words without an auxiliary, every one of them (but "the", "for") just said
    by the other speaker: "Ten percent?", "Closed to visitors?", "£38 for the block?"."""
    if previous is None or not fact.value("question_mark"):
        return False
    if any(t.pos_ == "AUX" for t in fact.sentence.span):
        return False
    said = [t.lower_ for t in words(fact.sentence.span) if t.pos_ not in {"DET", "ADP"}]
    while said and said[0] in ECHO_OPENERS:
        said = said[1:]
    if not said or len(said) > 4 or said[0] in WH_WORDS:
        return False
    heard = {t.lower_ for t in words(previous.sentence.span)}
    return all(word in heard for word in said)


def _disbelief_at_a_number(fact: SentenceFacts) -> bool:
    """ "£850 for a bulb?", "Four guards for eighty staff and two hundred visitors?": a sum or a count
    said back with no verb, in disbelief, whatever words come with it."""
    tokens = [t for t in words(fact.sentence.span) if t.lower_ not in ECHO_OPENERS]
    if not fact.value("question_mark") or not _verbless(fact, but_relative=True) or not tokens:
        return False
    # "Forty-two, with how many staff?", "Eleven degrees, for how long?": a number taken up to ask more
    if len(tokens) > 10 or any(t.lower_ in WH_WORDS for t in tokens):
        return False
    first = tokens[0]
    return first.like_num or first.text[:1] in {"£", "$", "€"}


def _hands_the_floor(fact: SentenceFacts) -> bool:
    """ "Delivery drivers, Dev?": a topic and a name, no verb, no question word."""
    tokens = words(fact.sentence.span)
    if not fact.value("question_mark") or not _verbless(fact) or len(tokens) < 2:
        return False
    if any(t.lower_ in WH_WORDS for t in tokens):
        return False
    name = tokens[-1]
    before = fact.sentence.span.doc[name.i - 1]
    return name.pos_ == "PROPN" and before.text == "," and tokens[0].lower_ not in {"and", "or"}
