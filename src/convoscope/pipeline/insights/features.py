"""What the utterance classifier sees of a sentence: its parse, its wording, and its neighbours.

`read_facts` reads each sentence once (commitment frame, date mentions, cue wordings); the question
and action-item detectors use the same facts for assignees and due dates. `feature_rows` turns the
facts of some sentences, their neighbours' facts and their MiniLM embeddings into the classifier's
input. Only candidates get a row: a sentence that is neither question-shaped nor a commitment or
request of any kind is never an insight, and is not embedded.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import numpy as np

from convoscope.pipeline.insights import cues, dates
from convoscope.pipeline.insights.commitments import Commitment, find_commitment
from convoscope.pipeline.insights.contact import asked_to_get_in_touch, is_contact_verb, is_follow_up
from convoscope.pipeline.insights.grammar import (
    INFORMATION_VERBS,
    INVERTING_AUXILIARIES,
    TAG_ENDING,
    WH_WORDS,
    is_interrogative_form,
    opening_text,
    word_set,
    words,
)
from convoscope.pipeline.insights.options import InsightOptions
from convoscope.pipeline.insights.parsed import ParsedConversation, ParsedSentence, conversation_members

FRAMES = ("future", "obligation", "let", "request", "imperative", "ability", "desire", "advice", "indirect")
ACTORS = ("speaker", "we", "addressee", "named", "third", "someone")
RECEIVING_VERBS = frozenset({"get", "receive", "see", "hear", "have", "find", "notice"})
POINTING_BACK = frozenset({"it", "that", "this", "them", "those", "one"})
# "Can you hear me?", "Would you like a demo?": asked with "can you", but no request for a task.
NOT_ASKED_VERBS = word_set("hear see be believe imagine like want need prefer mind have think know")
LEADING_CONDITION = re.compile(r"^(?:if|unless|in case|once|whenever)\b")
# "Good to know, I'll call them": a clause that commits the speaker, after a formula.
# "Will do, and I'll loop in the QA lead": the clause may open with a conjunction.
COMMITTING_CLAUSE = re.compile(
    r"^(?:(?:and|but|so|then|plus) )?(?:i|we)(?:'ll| will|'m going to| am going to| can)\s+"
)
# Asked of someone else (a request, or a commitment put on a named person): what a short reply
# ("Sure, I'll get that over to her") takes on.
ASKED_OF_OTHERS = frozenset({"addressee", "named", "third", "someone"})
REPLY_VERBS = frozenset({"do", "handle", "sort", "take", "get", "put", "dig", "pull"})

# Facts of the sentence itself, then of its neighbours; the embedding comes after these.
SENTENCE_FEATURES = (
    "question_mark interrogative wh_opening auxiliary_opening embedded_question tag_question rhetorical "
    "suggestion polite_formula asking_clause closing_formula small_talk pleasantry information_request "
    "few_words log_words commitment hedged conditional now in_call_act contact due past negated "
    "receiving_verb indirect_request advice acknowledgement points_back decision second_person "
    "asking_to_do asking_to_get time_proposal meeting_move modal_wording politeness_formula in_the_moment "
    "due_later leading_condition "
    + " ".join(f"frame_{frame}" for frame in FRAMES)
    + " "
    + " ".join(f"actor_{actor}" for actor in ACTORS)
).split()
CONTEXT_FEATURES = [
    "previous_other_request",
    "previous_other_contact",
    "previous_other_question",
    "previous_same_speaker",
    "next_other_done_in_call",
    "next_other_now",
    "next_other_acknowledges",
    "two_members",
]
FEATURE_NAMES = (*SENTENCE_FEATURES, *CONTEXT_FEATURES)
_CANDIDATE_FEATURES = tuple(
    SENTENCE_FEATURES.index(name)
    for name in (
        "question_mark",
        "interrogative",
        "embedded_question",
        "commitment",
        "indirect_request",
        "advice",
        "modal_wording",
    )
)


@dataclass(frozen=True)
class SentenceFacts:
    sentence: ParsedSentence
    opening: str  # lower case, from the clause start
    commitment: Commitment | None
    mentions: tuple[dates.DateMention, ...]
    due: bool  # a date or time from today on is named
    values: tuple[float, ...]  # SENTENCE_FEATURES, in order

    @property
    def is_candidate(self) -> bool:
        """Question-shaped, or a commitment or request of some kind."""
        return any(self.values[i] for i in _CANDIDATE_FEATURES)

    def value(self, name: str) -> float:
        return self.values[SENTENCE_FEATURES.index(name)]


def _is_conditional(sentence: ParsedSentence) -> bool:
    span = sentence.span
    opening = opening_text(span)
    if opening.startswith(("if ", "unless ", "once ", "in case ", "whenever ")):
        return True
    return any(t.lower_ in {"if", "unless"} and t.dep_ == "mark" for t in span)


def _is_past(sentence: ParsedSentence) -> bool:
    root = sentence.span.root
    auxiliaries = {c.lower_ for c in root.children if c.dep_ in {"aux", "auxpass"}}
    return root.tag_ in {"VBD", "VBN"} and not auxiliaries & {"will", "'ll", "would", "'d", "can", "should"}


def _politeness(opening: str) -> bool:
    """A politeness formula ("Got it", "Thanks") that is not the opening of a commitment ("Good to
    know, I'll call them this afternoon"; "Thanks, talk soon" stays a formula)."""
    clauses = cues.clauses(opening)
    hits = [i for i, clause in enumerate(clauses) if cues.POLITENESS.match(clause)]
    if not hits:
        return False
    rest = clauses[max(hits[0], 1) :] if hits[0] else clauses[1:]
    return not any(
        COMMITTING_CLAUSE.match(c) and not cues.POLITENESS.match(COMMITTING_CLAUSE.sub("", c)) for c in rest
    )


def _asks_for_information(commitment: Commitment | None) -> bool:
    """ "Could you explain...?", "walk me through it": an answer wanted now; not "please walk the deck
    with Priyanka" or "confirm that and clear it by Wednesday" (a task besides)."""
    if commitment is None:
        return False
    verb = commitment.verb
    if verb.lemma_.lower() not in INFORMATION_VERBS:
        return False
    if verb.lemma_.lower() == "walk" and "through" not in {t.lower_ for t in verb.subtree}:
        return False
    # "Could you confirm the booking with them?" asks for getting in touch, not for an answer.
    return not is_contact_verb(verb) and all(c.lemma_.lower() in INFORMATION_VERBS for c in verb.conjuncts)


def _points_back(commitment: Commitment | None) -> bool:
    if commitment is None:
        return False
    objects = [c for c in commitment.verb.children if c.dep_ in {"dobj", "nsubjpass", "dative"}]
    return any(o.lower_ in POINTING_BACK for o in objects)


def _sentence_values(
    sentence: ParsedSentence, commitment: Commitment | None, due: bool, due_later: bool
) -> list[float]:
    span = sentence.span
    text = sentence.text.strip()
    lower = text.lower()
    opening = opening_text(span)
    first = opening.split(" ", 1)[0] if opening else ""
    count = len(words(span))
    frame = commitment.frame if commitment else ""
    actor = commitment.actor if commitment else ""
    verb = commitment.verb.lemma_.lower() if commitment else ""
    flags = [
        text.endswith("?"),
        is_interrogative_form(span),
        first in WH_WORDS,
        first in INVERTING_AUXILIARIES,
        bool(cues.EMBEDDED_QUESTION.search(lower) or cues.ASKING_CLAUSE.match(opening)),
        bool(TAG_ENDING.search(text)),
        cues.any_clause(cues.RHETORICAL, opening)
        or bool(cues.RHETORICAL_ENDING.search(lower))
        or cues.any_clause(cues.RHETORICAL_ANYWHERE, opening)
        or bool(cues.RHETORICAL_ANYWHERE.search(lower)),
        bool(cues.SUGGESTION.match(opening)),
        cues.any_clause(cues.POLITE_FORMULA, opening),
        bool(cues.ASKING_CLAUSE.match(opening)),
        cues.any_clause(cues.CLOSING_FORMULA, opening),
        bool(cues.SMALL_TALK.search(lower)),
        bool(cues.PLEASANTRY.match(opening)),
        frame in {"request", "imperative"} and _asks_for_information(commitment),
        count < 4,
        math.log1p(count) / 3.0,
        commitment is not None,
        bool(commitment and commitment.hedged),
        _is_conditional(sentence),
        bool(cues.NOW.search(lower)),
        bool(cues.DONE_IN_CALL.match(opening)),
        bool(commitment and is_follow_up(commitment))
        or asked_to_get_in_touch(span, commitment is not None, opening),
        due,
        _is_past(sentence),
        any(t.dep_ == "neg" for t in span),
        verb in RECEIVING_VERBS,
        bool(cues.INDIRECT_REQUEST.search(lower)),
        cues.any_clause(cues.ADVICE, opening),
        bool(cues.ACKNOWLEDGEMENT.match(opening)),
        _points_back(commitment),
        bool(cues.DECISION.search(lower)),
        any(t.lower_ in {"you", "your"} for t in span),
        cues.any_clause(cues.ASKING_TO_DO, opening) and verb not in INFORMATION_VERBS | NOT_ASKED_VERBS,
        cues.any_clause(cues.ASKING_TO_GET, opening),
        cues.any_clause(cues.TIME_PROPOSAL, opening),
        cues.any_clause(cues.MEETING_MOVE, opening),
        bool(cues.MODAL_WORDING.search(lower)),
        _politeness(opening),
        cues.any_clause(cues.IN_THE_MOMENT, opening),
        due_later,
        bool(LEADING_CONDITION.match(opening)),
    ]
    flags += [frame == name for name in FRAMES]
    flags += [actor == name for name in ACTORS]
    return [float(flag) for flag in flags]


def read_facts(conversation: ParsedConversation, options: InsightOptions) -> list[SentenceFacts]:
    """The facts of every sentence, in order."""
    transcript = conversation.transcript
    offset = options.timezone_offset_minutes
    facts = []
    for sentence in conversation.sentences:
        commitment = find_commitment(sentence.span)
        mentions = tuple(dates.find_dates(sentence.span, transcript.reference_time, offset))
        moment = dates.due_moment(list(mentions), transcript.reference_time, offset)
        later = moment is not None and dates.local_day(moment, offset) > dates.local_day(
            transcript.reference_time, offset
        )
        values = tuple(_sentence_values(sentence, commitment, moment is not None, later))
        facts.append(
            SentenceFacts(
                sentence, opening_text(sentence.span), commitment, mentions, moment is not None, values
            )
        )
    return [_with_contact(f) if _answers_contact(facts, i) else f for i, f in enumerate(facts)]


CONTACT = SENTENCE_FEATURES.index("contact")


def _with_contact(facts: SentenceFacts) -> SentenceFacts:
    values = list(facts.values)
    values[CONTACT] = 1.0
    return replace(facts, values=tuple(values))


def _answers_contact(facts: list[SentenceFacts], index: int) -> bool:
    """A short commitment that takes on a request to get in touch, said just before by someone else:
    "Could you email me the lease?" - "Sure, I'll pull it up tonight." ("it" is the lease to send)."""
    here = facts[index]
    if here.value("contact") or not is_short_reply(here):
        return False
    speaker = speaker_id(here)
    others = [f for f in facts[max(0, index - 3) : index] if speaker_id(f) != speaker][-1:]
    return any(
        f.value("contact") and f.commitment is not None and f.commitment.actor in ASKED_OF_OTHERS
        for f in others
    )


def is_short_reply(here: SentenceFacts) -> bool:
    """A short commitment of the speaker that points back to what was just asked ("Sure, I'll get that
    done tonight", "Yep, I'll do it after lunch")."""
    commitment = here.commitment
    if commitment is None or commitment.actor not in {"speaker", "we"}:
        return False
    verb = commitment.verb
    # "get that done", "send those over": the thing asked for, pointed back to.
    pointing = any(
        t.lower_ in POINTING_BACK and t.dep_ in {"dobj", "nsubj", "nsubjpass", "dative"}
        for t in verb.subtree
        if t.i > verb.i
    )
    acknowledged = bool(cues.ACKNOWLEDGEMENT.match(here.sentence.text.strip().lower()))
    generic = acknowledged and verb.lemma_.lower() in REPLY_VERBS
    return len(words(here.sentence.span)) <= 12 and (pointing or generic)


def speaker_id(facts: SentenceFacts) -> str | None:
    speaker = facts.sentence.message.speaker
    return speaker.id if speaker else None


def met_in_the_call(facts: list[SentenceFacts], index: int) -> bool:
    """Does someone else meet it right away ("I can do that for you now", "Done, it's updated")?"""
    speaker = speaker_id(facts[index])
    after = [f for f in facts[index + 1 : index + 3] if speaker_id(f) != speaker]
    return any(f.value("in_call_act") > 0 for f in after)


def _context_values(facts: list[SentenceFacts], index: int, members: int) -> list[float]:
    here = facts[index]
    speaker = speaker_id(here)
    previous = facts[index - 1] if index > 0 else None
    previous_other = previous is not None and speaker_id(previous) != speaker
    after = [f for f in facts[index + 1 : index + 3] if speaker_id(f) != speaker]
    following = after[0] if after else None
    previous_asks = bool(
        previous_other
        and previous is not None
        and previous.commitment is not None
        and previous.commitment.actor == "addressee"
    )
    return [
        float(previous_asks),
        float(previous_asks and previous is not None and previous.value("contact") > 0),
        float(previous_other and previous is not None and previous.value("question_mark") > 0),
        float(previous is not None and not previous_other),
        float(any(f.value("in_call_act") > 0 for f in after)),
        float(any(f.value("now") > 0 for f in after)),
        float(following is not None and following.value("acknowledgement") > 0),
        float(members == 2),
    ]


def handmade_rows(
    conversation: ParsedConversation, facts: list[SentenceFacts], indices: list[int]
) -> np.ndarray:
    """One row of `FEATURE_NAMES` per sentence index: its facts and its context."""
    members = len(conversation_members(conversation.transcript))
    rows = [[*facts[i].values, *_context_values(facts, i, members)] for i in indices]
    return np.array(rows, dtype=np.float32).reshape(len(indices), len(FEATURE_NAMES))


def feature_rows(
    conversation: ParsedConversation, facts: list[SentenceFacts], indices: list[int]
) -> np.ndarray:
    """One row per sentence index: its facts, its context and its embedding."""
    vectors = conversation.embed([facts[i].sentence.text.strip() for i in indices])
    return np.hstack([handmade_rows(conversation, facts, indices), vectors]).astype(np.float32)
