"""What each sentence of a conversation is: the classifier's reading, checked against clear wordings.

The classifier (`classifier`) weighs everything it was trained on; a few wordings are settled
without it, because they are unambiguous and too rare in any training set to weigh enough:
rhetorical and small-talk questions, polite formulas ("Can I jump in for a second?"), moves in the
meeting itself ("Can we also talk about the offsite?"), suggestions ("What if we...") and tags are
not questions. Conditions that may never happen ("If the link expires, just ping me"), how things
work ("You'll get a confirmation email after checkout"), decisions put as "let's go with...",
pleasantries ("Nice work."), politeness formulas ("Let me know if you have questions"), acts done in
the conversation ("Let me share my screen"), requests for an answer ("Could you explain...?") and
needs someone meets in the conversation itself ("I need to change my delivery address", said to the
agent who changes it) are not action items. Requests put as questions ("Could you send the client
the slides?") and times offered for a meeting ("Does Tuesday at 10 work?") are action items, offers
asked ("Would you like a site visit?") are questions, advice put as a suggestion ("It might be worth
writing that up") is an action item, and an action item whose action is getting in touch (the
`contact` fact) is a follow-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from convoscope.pipeline.insights import cues
from convoscope.pipeline.insights.classifier import Reading, UtteranceModel, classify
from convoscope.pipeline.insights.contact import asks_another_to_get_in_touch
from convoscope.pipeline.insights.features import SentenceFacts, met_in_the_call, read_facts
from convoscope.pipeline.insights.options import InsightOptions
from convoscope.pipeline.insights.parsed import ParsedConversation
from convoscope.pipeline.insights.turns import read_in_turn

NEEDS = frozenset({"obligation", "desire", "ability"})
NOT_QUESTIONS = ("rhetorical", "small_talk", "closing_formula", "suggestion", "meeting_move")
# "Can I get your policy number?" asks for an answer; "can I get a new card?" for something to be done.
# So is "can I take your name?" and "can you confirm your date of birth?".
ASKING_FOR_ANSWER = re.compile(
    r"\b(?:can|could|may) (?:i|we) (?:get|have|take) (?:your|the name|a copy of your|"
    r"a (?:good |better |callback )?(?:number|phone number|email|e-mail|address) for you)\b"
)
ASKING_FOR_DETAILS = re.compile(
    r"\b(?:can|could|may) (?:i (?:just )?(?:get|have|take)|you (?:just )?(?:confirm|give me|tell me|spell)) "
    r"your (?:full )?(?:name|date of birth|postcode|address|number|phone number|mobile|email|e-mail|account|"
    r"policy|reference|booking reference|details|registration)\b"
)
# "Simon, can you give us the picture on the burst main?": an account asked for, now.
ASKING_FOR_PICTURE = re.compile(
    r"^(?:can|could|would) you (?:just |quickly )?(?:give|get) (?:us|me|everyone) (?:the|a|an) "
    r"(?:quick |brief |full |latest )?(?:picture|rundown|lowdown|overview|run-through|headlines?) "
    r"(?:on|of|from)\b"
)
DESCRIPTION = re.compile(r"^you(?:'ll| will) (?:get|receive|see|find|hear|be able to)\b")
# A request to have someone else get in touch: "Could you have the courier call me before they come?",
# "Can you get someone from billing to email me?" - asked as a question, meant as a follow-up.
CONTACT_WORDS = r"(?:call|phone|ring|text|email|e-mail|contact|message|reach out|get back|send|update|meet)"
HAVE_SOMEONE = re.compile(
    r"^(?:can|could|would|will) you (?:please |also |just )?(?:have|get|ask) (?:[\w']+ ){1,4}?(?:to )?"
    + CONTACT_WORDS
    + r"\b"
)
# "Olu, could you confirm with Kate which nights she needs?": an answer to be got from someone else, not
# given now ("confirm" alone asks for one: "Could you confirm your postcode?").
CONFIRM_WITH = re.compile(
    r"^(?:can|could|would|will) you (?:please |just )?confirm (?:it |that |this |them )?with\b"
)
# "Raymond, why don't you meet with the merchants this month?": a suggestion that is a request.
WHY_DONT_YOU = re.compile(
    rf"^(?:why don't you|how about you|maybe you could) (?P<contact>{CONTACT_WORDS}\b)?"
)
# Running the meeting and taking note, not tasks: "Let's call this meeting to order", "Everyone, gather
# round", "I'll keep that in mind".
RUNNING_THE_MEETING = re.compile(
    r"^(?:let's call (?:this|the) meeting to order|"
    r"(?:(?:okay |ok |right )?(?:everyone|everybody|all),? )?gather round|"
    r"i'll (?:keep|bear) (?:that|this|it) in mind)\b"
)
# "Is it?", "Oh, am I?": an echo that takes note of what was said, not a question ("Do we?" after
# "We'd need a licence, I think" asks whether it is so).
ECHO = re.compile(
    r"^(?:is|are|am|was|were)(?:n't)? "
    r"(?:it|i|you|he|she|we|they|that|there)(?: not)?(?: really)?\?$"
)
# "And Saturdays?", "And the dentist can't claim directly?", "And if I'm not happy with that?": a
# question that carries on from the last answer, however elliptical.
# "So I need a financial adviser?", "Thank you, and your name is Chidi Okafor?": a statement asked.
AND_ASKED = re.compile(r"^(?:(?:thanks|thank you|right|okay|ok)[,.]? )?(?:and|so)\b[^?]*\?$")
# "That's not enough for the weekends, is it?": a negative opinion with a positive tag.
NEGATIVE_WITH_TAG = re.compile(
    r"(?:\bnot\b|n't\b|\bnever\b|\bno\b)[^?]*, (?:is|are|was|were|does|do|did|has|have|can|will|would) "
    r"(?:it|that|this|they|we|you|he|she|there)\?$"
)
OPINION = re.compile(
    r"^(?:(?:wow|hm+|oh|well|honestly|yeah),? )*(?:that|it|this|who|what a|how|nobody|no one)\b"
)
# A report of what was just done, and what the speaker sees, are no tasks: "Done, that's booked for
# Friday morning, the engineer will text you...", "I can see it, a workplace pension from the council."
DONE_NOW = re.compile(r"^(?:(?:all )?done|that's (?:done|booked|sorted|all set))\b|^i can (?:see|hear)\b")
# "I'll forward it now, actually.", "I'll text it to you now, actually.": done while the call goes on.
NOW_ACTUALLY = re.compile(r"^i(?:'ll| will) [^,]+ now,? actually[.!]?$")
DECISION_ONLY = re.compile(
    r"^(?:then |so |okay,? )?let's (?:go (?:with|ahead)|lean|stick with|commit to|aim for)\b"
)


@dataclass(frozen=True)
class Utterance:
    facts: SentenceFacts
    reading: Reading


def judge(facts: SentenceFacts, reading: Reading, met_in_call: bool = False) -> Reading:
    """The classifier's reading with the settled wordings applied. `met_in_call`: someone else
    meets it in the conversation itself, right after ("I can do that for you now")."""
    value = facts.value
    polite = value("polite_formula") and not value("asking_clause")
    # A tag on an opinion asks for agreement ("That's ages, isn't it?"); one on a fact checks it ("Essays
    # all go through Turnitin, right?"), which the classifier weighs; "..., is that right?" checks one.
    checked = cues.CHECK_ENDING.search(facts.opening)
    tagged = value("tag_question") or NEGATIVE_WITH_TAG.search(facts.opening)
    tag = tagged and not value("interrogative") and OPINION.match(facts.opening) and not checked
    # "When the scanner drops, the pick is lost.": opens like a question, said as a statement.
    statement = not value("question_mark") and cues.WH_STATEMENT.match(facts.opening)
    echo = ECHO.match(facts.opening)
    if any(value(name) for name in NOT_QUESTIONS) or polite or tag or statement or echo:
        reading = replace(reading, question=0.0)
    elif AND_ASKED.match(facts.sentence.text.lower()) or checked:
        reading = replace(reading, question=max(reading.question, 0.6))
    # "Could you send the client the slides?", "Does Tuesday at 10 work for the review?": asked as
    # questions, meant as a request and as a meeting to set up.
    if value("time_proposal") and value("question_mark"):
        asked = max(reading.question, reading.action)
        reading = Reading(question=0.0, action=asked, follow_up=asked)
    elif (value("asking_to_do") and not value("embedded_question")) or (
        value("asking_to_get") and not ASKING_FOR_ANSWER.search(facts.opening)
    ):
        reading = replace(reading, question=0.0, action=max(reading.action, reading.question))
    suggested = WHY_DONT_YOU.match(facts.opening)
    if (
        HAVE_SOMEONE.match(facts.opening)
        or CONFIRM_WITH.match(facts.opening)
        or (suggested and suggested["contact"])
        or asks_another_to_get_in_touch(facts.sentence.span)
    ):
        asked = max(reading.question, reading.action, 0.6)
        reading = Reading(question=0.0, action=asked, follow_up=asked)
    elif suggested:
        reading = replace(reading, question=0.0, action=max(reading.action, 0.6))
    if _asked_for_later(facts):
        reading = replace(reading, question=0.0, action=max(reading.action, 0.6))
    if ASKING_FOR_DETAILS.search(facts.opening) or (
        ASKING_FOR_PICTURE.match(facts.opening) and not value("due_later")
    ):
        reading = Reading(question=max(reading.question, reading.action, 0.6), action=0.0, follow_up=0.0)
    if cues.OFFER.search(facts.sentence.text.lower()) and not value("time_proposal"):
        # "Would you like a site visit before you decide?": an offer asked is a question.
        asked = max(reading.question, reading.action, 0.6)
        reading = Reading(question=asked, action=0.0, follow_up=0.0)
    pleasantry = value("pleasantry") and "," not in facts.opening
    settled = (
        _a_condition(facts)
        or DECISION_ONLY.match(facts.opening)
        or RUNNING_THE_MEETING.match(facts.opening)
        or pleasantry
        or value("politeness_formula")
        or (value("in_the_moment") and not value("due_later"))
        or value("information_request")  # "Could you explain...?" asks for an answer, now
        or (value("wh_opening") and not suggested and not value("time_proposal"))  # "When will you send it?"
        or (DONE_NOW.match(facts.opening) and not _own(facts))
        or NOW_ACTUALLY.match(facts.opening)
        or DESCRIPTION.match(facts.opening)  # "You'll get a confirmation email after checkout"
        or (met_in_call and _a_need(facts))  # "I need to change my address" - "Done, it's changed."
    )
    if settled:
        reading = replace(reading, action=0.0, follow_up=0.0)
    elif value("contact") and reading.follow_up < reading.action / 2:
        # An action item whose action is getting in touch is a follow-up; the classifier leans on
        # wording ("I'll get that over to her" reads like "I'll get that done") more than on the parse.
        reading = replace(reading, follow_up=max(reading.follow_up, 0.6 * reading.action))
    return reading


def _asked_for_later(facts: SentenceFacts) -> bool:
    """Clear requests and commitments the classifier has too few of to weigh: the indirect request
    ("It'd be good to get the invoice before the close") and a commitment or request after something
    that will happen ("Once I hear, I'll introduce them", "Once it's up, send the link to Ana")."""
    if facts.value("question_mark") or facts.value("past"):
        return False
    lower = facts.sentence.text.lower()
    if (
        cues.IT_WOULD_HELP.search(lower)
        or cues.SUGGESTED_TASK.search(lower)
        or cues.BEST_TO.match(facts.opening)
    ):
        return True
    if cues.LEAVE_IT_WITH_ME.search(lower) or cues.WILL_WANT_TO_SEE.match(facts.opening):
        return True
    if cues.WANTED.match(facts.opening) and facts.value("due_later"):
        return True
    if cues.IF_YOU_COULD.match(facts.opening):
        return True
    return _after_a_sure_thing(facts)


def _after_a_sure_thing(facts: SentenceFacts) -> bool:
    commitment = facts.commitment
    return (
        facts.opening.startswith("once ")
        and commitment is not None
        and commitment.actor in {"speaker", "we", "addressee"}
        and commitment.frame in {"future", "imperative", "request"}
    )


def _own(facts: SentenceFacts) -> bool:
    """The speaker's (or the team's) own commitment: "Done, and I'll email you the form"."""
    return facts.commitment is not None and facts.commitment.actor in {"speaker", "we"}


def _a_condition(facts: SentenceFacts) -> bool:
    """A condition that may never happen ("If the link expires, just ping me"); not the speaker's
    commitment after something that will ("Once I hear, I'll introduce them by email")."""
    return (
        bool(facts.value("leading_condition"))
        and not _after_a_sure_thing(facts)
        and not cues.IF_YOU_COULD.match(facts.opening)
    )


def _a_need(facts: SentenceFacts) -> bool:
    """The speaker's own need or wish ("I need to...", "I'd like to...", "can I get...")."""
    commitment = facts.commitment
    own = commitment is not None and commitment.actor == "speaker" and commitment.frame in NEEDS
    return own or bool(facts.value("asking_to_get")) or bool(facts.value("asking_to_do"))


def read_utterances(
    conversation: ParsedConversation, options: InsightOptions, model: UtteranceModel | None = None
) -> list[Utterance]:
    """Every sentence with its facts and what it is judged to be, in order."""
    facts = read_facts(conversation, options)
    readings = classify(conversation, facts, model)
    judged = [
        judge(fact, reading, met_in_the_call(facts, index))
        for index, (fact, reading) in enumerate(zip(facts, readings, strict=True))
    ]
    return [Utterance(f, r) for f, r in zip(facts, read_in_turn(facts, judged), strict=True)]
