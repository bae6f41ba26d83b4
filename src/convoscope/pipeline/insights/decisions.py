"""Decisions said in a conversation, as sentences of the summary: "Gloria decided to publish the results."

A decision is said in a few ways: "let's go with two translators", "then we keep Tuesday releases",
"the decision is...", "Thursday works", "December 2 it is", or as agreement with what the speaker
before proposed ("Should we publish the full results?" - "Yes, I think we should."; "What if we
tried a shorter format?" - "Good idea, let's do that."). Each becomes one sentence naming who said
it and what was decided, pointing to the message it was said in (and the proposal it agrees with).
Moves in the meeting itself ("Let's start with the budget", "let's not relitigate that") and
meetings to come ("let's meet again next month": a follow-up) are none.
"""

from __future__ import annotations

import re

from convoscope.pipeline.insights.grammar import word_set
from convoscope.pipeline.insights.parsed import ParsedConversation, ParsedSentence
from convoscope.pipeline.insights.rephrase import first_name

OPENERS = re.compile(
    r"^(?:(?:good idea|i like that|that could work|that works|sounds good|i think|so|then|okay|ok|great|"
    r"good|right|yes|yeah|alright|and|well|agreed|perfect|fine)[,.]?\s+)+",
    re.IGNORECASE,
)
# "Let's start with...", "let's move on", "let's not...": how the meeting goes, not what it decided.
MEETING_MOVES = re.compile(
    r"^(?:not|start|begin|get (?:going|started)|kick off|call |talk|move on|go (?:through|over|round|around)|"
    r"look|have a look|take a (?:look|step)|see|hear|wrap|regroup|recap|dive|turn to|jump|circle back|"
    r"park|pause|make a start|keep (?:it|this) (?:short|quick)|get into|discuss|focus|come back|"
    r"do (?:a )?(?:quick )?(?:round|intro|update)s?\b|hope|plan the|review|"
    r"(?:all |both )?(?:meet|sync|go)(?:$|,| again| (?:on|next|every|this)\b)|"
    r"check in|schedule|set up (?:a|another) (?:call|meeting)|pencil|touch base|keep an eye|revisit)",
    re.IGNORECASE,
)
POINTING_BACK = re.compile(r"^(?:do|try|go for|go with) (?:that|it|this|those)(?: then)?$", re.IGNORECASE)
PROPOSALS = re.compile(
    r"^(?:should we|shall we|what if we|why don't we|could we|can we|we could|maybe we|how about we|"
    r"do we want to|how about)\s+(?P<rest>.+?)\??$",
    re.IGNORECASE,
)
# "then we keep Tuesday releases", "we're doing the silent auction again", "we'll go with Crestpay";
# not "we'll start on it now", a commitment.
WE_DO = re.compile(
    r"^we(?P<going>'re| are)? (?P<verb>[a-z]+) (?P<rest>.+)$|"
    r"^we(?:'ll| will) (?P<with>go with|stick with) (?P<other>.+)$",
    re.IGNORECASE,
)
DECIDING_VERBS = word_set(
    """keep stick go stay take finish use drop leave hold add move cancel renew open close switch skip
    launch ship push delay postpone publish run hire buy accept extend cap limit book pay start do"""
)
DOUBLED = word_set("drop ship skip cap run")  # "dropping", "running"
DAYS = (
    r"(?:next |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|"
    r"\w+ \d{1,2}(?:st|nd|rd|th)?)"
)
# "Thursday works.", "Tuesday at 4 is fine": the time proposed is agreed.
A_TIME_AGREED = re.compile(
    rf"^(?P<rest>{DAYS}(?: (?:at|morning|afternoon|evening) ?[\w:. ]*)?) "
    r"(?:works|is fine|is good|is perfect|suits)\b",
    re.IGNORECASE,
)
SAID = (
    (re.compile(r"^(?:the )?decision is (?P<rest>.+)$", re.I), "The decision: {rest}"),
    (re.compile(r"^(?P<rest>.+?) it is$", re.I), "{who} settled on {rest}"),
    (re.compile(r"^(?P<rest>.+ is the target)$", re.I), "{rest}"),
    (re.compile(r"^(?:the plan is|from now on,) (?P<rest>.+)$", re.I), "The plan: {rest}"),
    (
        re.compile(r"^(?P<rest>[a-z0-9£$€][\w£$€,. ]*?) stays\b(?P<more>.*)$", re.I),
        "{who} decided that {rest} stays",
    ),
)
Found = tuple[str, tuple[str, ...]]


def _base_form(verb: str, progressive: bool) -> str | None:
    """The deciding verb said ("keep"; "doing", "dropping" after "we're") in its base form, or None."""
    if not progressive:
        return verb if verb in DECIDING_VERBS else None
    stem = verb.removesuffix("ing")
    for base in (stem, stem + "e", stem[:-1]):
        if base in DECIDING_VERBS and (base != stem[:-1] or base in DOUBLED):
            return base
    return None


def _proposal(previous: ParsedSentence | None, speaker: str | None) -> str | None:
    """What the sentence before proposed ("Should we publish the results?" -> "publish the results")."""
    if previous is None or previous.message.speaker is None:
        return None
    if speaker is not None and first_name(previous.message.speaker.name) == speaker:
        return None
    match = PROPOSALS.match(OPENERS.sub("", previous.text.strip()))
    if match is None:
        return None
    doc_words = [t for t in previous.span if not t.is_punct]
    # "tried a shorter format" -> "try a shorter format": the first verb in its base form
    verbs = [
        t
        for t in doc_words
        if t.pos_ in {"VERB", "AUX"} and t.lower_ not in {"should", "shall", "could", "can"}
    ]
    rest = match["rest"]
    if verbs and rest.lower().startswith(verbs[0].lower_):
        rest = verbs[0].lemma_.lower() + rest[len(verbs[0].text) :]
    return rest.rstrip("?. ")


def _reading(sentence: ParsedSentence, previous: ParsedSentence | None, who: str) -> Found | None:
    said = OPENERS.sub("", sentence.text.strip()).rstrip(".!")
    ids: tuple[str, ...] = (sentence.message.id,)
    speaker = first_name(sentence.message.speaker.name) if sentence.message.speaker else None
    name = speaker or who
    lets = re.match(r"^let's (?P<rest>.+)$", said, re.I)
    if lets and not MEETING_MOVES.match(lets["rest"]):
        rest = lets["rest"]
        if POINTING_BACK.match(rest.split(",")[0]):
            proposal = _proposal(previous, speaker)
            if proposal is None:
                return None
            rest = proposal
            ids = (previous.message.id, *ids) if previous is not None else ids
        return f"{name} decided to {rest}", ids
    if re.match(r"^(?:we should|i think we should|we should do that)(?:,|$)", said, re.I):
        proposal = _proposal(previous, speaker)
        if proposal is None or previous is None:
            return None
        return f"{name} decided to {proposal}", (previous.message.id, *ids)
    we = WE_DO.match(said)
    # Present tense is a habit ("we use Slack") unless the sentence concludes ("Then we keep...").
    concluding = re.match(
        r"^(?:[\w' ]+, )?(?:then|so|okay|ok|alright|i think)\b", sentence.text.strip(), re.I
    )
    if we and we["with"]:
        return f"{name} decided to {we['with'].lower()} {we['other']}", ids
    verb = _base_form(we["verb"].lower(), progressive=bool(we["going"])) if we and we["verb"] else None
    if we and concluding and verb is not None:
        return f"{name} decided to {verb} {we['rest']}", ids
    agreed = A_TIME_AGREED.match(said)
    if agreed:
        return f"{name} settled on {agreed['rest']}", ids
    for pattern, template in SAID:
        match = pattern.match(said)
        if match:
            return template.format(who=name, rest=match["rest"]), ids
    return None


def detect_decisions(conversation: ParsedConversation, limit: int = 2) -> list[Found]:
    """The decisions said, first `limit` of them, as (sentence, message ids)."""
    who = "They" if len({m.speaker.name for m in conversation.messages if m.speaker}) == 2 else "The group"
    found: list[Found] = []
    previous: ParsedSentence | None = None
    seen: set[str] = set()
    for sentence in conversation.sentences:
        reading = _reading(sentence, previous, who)
        previous = sentence
        if reading is None or sentence.message.id in seen:
            continue
        seen.add(sentence.message.id)
        text = reading[0].rstrip(" ,")
        found.append((text[:1].upper() + text[1:] + ".", reading[1]))
        if len(found) >= limit:
            break
    return found
