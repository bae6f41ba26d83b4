"""Reading a clause as a commitment or a request: who is to act, how firmly, and on what verb.

`find_commitment` looks at each clause head of a sentence (root, conjoined and complement verbs)
and reads its subject and modal frame from the dependency parse: "I'll send", "we need to
finalize", "Dana is going to draft", "can you update", "let's book", an imperative "send me".
Past tense, hypotheticals ("we would"), speculation ("we could maybe"), negations and statements
about things rather than people ("the release will slip") do not qualify.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from convoscope.pipeline.insights.grammar import DISCOURSE_WORDS, word_set

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

FUTURE = frozenset({"will", "'ll", "wo", "shall", "gonna"})
OBLIGATION = frozenset({"must", "should", "ought", "'d better"})
SPECULATIVE = frozenset({"might", "may", "could", "would", "'d"})
# Verbs that pass the action on to their complement: "need to send", "going to call".
LINKING_VERBS = {
    "go": "going to",
    "need": "need to",
    "have": "have to",
    "get": "got to",
    "plan": "plan to",
    "want": "want to",
    "try": "try to",
    "like": "like to",
    "love": "like to",
    "intend": "plan to",
    "promise": "going to",
    "agree": "going to",
    "remember": "need to",
    "forget": "need to",
}
WISHES = frozenset({"want to", "like to"})
LINKED_FRAMES = {
    "going to": "future",
    "need to": "obligation",
    "have to": "obligation",
    "got to": "obligation",
}
OPINION_VERBS = word_set("think guess believe suppose feel reckon mean")
# Things people do later; used to read imperatives the small parser mislabels ("Please forward me...").
ACTION_VERBS = word_set(
    """send email e-mail forward call phone ring text ping schedule book reschedule set arrange organize
    update review check prepare draft write finish finalize complete submit file share circulate post
    fix test deploy ship merge release install configure upload download sign approve confirm contact
    reach follow get loop invite add remove create build make order buy pay invoice renew cancel move
    document clean look investigate ask talk discuss meet sync touch circle escalate assign train hire
    print bring pick put run start cover handle take reply respond notify remind let keep note verify"""
)
NOT_ACTION_VERBS = word_set(
    """be love like enjoy hate seem look happen become know remember cost feel mean matter hear understand
    believe think guess hope wish need want worry sound appreciate thank see guarantee promise expect offer
    qualify receive wonder imagine"""
)
# Base-form verbs that open a sentence without asking for an action ("Imagine...", "Keep it up").
NOT_IMPERATIVE_VERBS = word_set(
    "imagine look listen see say guess thank excuse wait hold hang believe trust enjoy mind note consider"
)
PERSON_NOUNS = word_set(
    """team someone somebody everyone everybody anyone engineering legal marketing sales support finance
    ops operations design product management manager lead developer engineer folk people qa hr procurement
    colleague coworker boss assistant coordinator publicist
    partner wife husband sister brother daughter son mom dad mother father neighbour neighbor"""
)
HEDGES = word_set("maybe probably perhaps possibly hopefully ideally somehow")
# "I'd love to see a draft": the speaker asks someone else for something to look at.
SEEING_VERBS = word_set("see have get read review hear look")
# "It would be good if the deck covered the risks": a request without a verb of asking.
ADVICE = re.compile(r"\byou(?:'ll| will| might| may|'d)? (?:want|need) to\b", re.IGNORECASE)
INDIRECT_IF = re.compile(r"\bit(?: would|'d) (?:be \w+|help) if\b", re.IGNORECASE)


@dataclass(frozen=True)
class Commitment:
    verb: Token  # the action verb ("send" in "I'll send you the deck")
    actor: str  # "speaker", "we", "addressee", "named", "third", "someone"
    actor_token: Token | None  # the subject token for named actors
    frame: str  # "future", "obligation", "let", "request", "imperative", "ability", "desire", "advice",
    # "indirect" ("I'd love to see...", "it would be good if...")
    hedged: bool


def _children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def _is_vocative(token: Token) -> bool:
    """ "Sam, send me the logs": a name set off by a comma is who is spoken to, not the subject."""
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return token.pos_ in {"PROPN", "NOUN"} and following is not None and following.text == ","


def _subject(verb: Token) -> Token | None:
    """The verb's subject (the one nearest before it), inherited by conjoined verbs ("I'll X and Y")."""
    while True:
        subjects = [s for s in _children(verb, "nsubj", "nsubjpass", "expl") if not _is_vocative(s)]
        if subjects:
            before = [s for s in subjects if s.i < verb.i]
            return before[-1] if before else subjects[0]
        if verb.dep_ in {"conj", "xcomp"} and verb.head is not verb:
            verb = verb.head
            continue
        return None


def _auxiliaries(verb: Token) -> list[Token]:
    auxiliaries = _children(verb, "aux", "auxpass", "neg")
    if verb.dep_ == "conj" and not _children(verb, "nsubj") and verb.head is not verb:
        auxiliaries += _auxiliaries(verb.head)
    return auxiliaries


def _clause_heads(span: Span) -> list[Token]:
    return [t for t in span if t.pos_ in {"VERB", "AUX"} and t.dep_ in {"ROOT", "conj", "ccomp", "xcomp"}]


def _is_imperative(verb: Token, span: Span) -> bool:
    """A subjectless base-form verb with nothing before it but openers ("Dana, please send...",
    "If it breaks, call me")."""
    if _subject(verb) is not None or verb.tag_ != "VB" or verb.lemma_ in NOT_IMPERATIVE_VERBS:
        return False
    openers: set[int] = set()
    for child in verb.children:
        if child.i < verb.i and child.dep_ in {"advcl", "npadvmod", "intj", "punct", "advmod", "nsubj"}:
            openers.update(t.i for t in child.subtree)
    return not [
        t
        for t in span
        if t.i < verb.i
        and t.i not in openers
        and not (t.is_punct or t.lower_ in DISCOURSE_WORDS | {"please", "just", "also", "then"})
    ]


def _frame(verb: Token, span: Span) -> tuple[str, Token] | None:
    """The modal frame of a clause head and the verb that carries the action."""
    auxiliaries = [a.lower_ for a in _auxiliaries(verb)]
    negated = bool({"not", "n't", "never"} & set(auxiliaries))
    if negated and verb.lemma_ == "forget" and (complement := _children(verb, "xcomp")):
        return "imperative", complement[0]  # "Don't forget to send the invoice"
    if negated:
        return None
    if verb.lemma_ == "let":
        target = _children(verb, "ccomp", "xcomp")
        if target and _children(target[0], "neg"):
            return None  # "Let's not overthink this"
        if target and any(c.lower_ in {"me", "us", "'s"} for c in target[0].children):
            return "let", target[0]
        return None
    linked = LINKING_VERBS.get(verb.lemma_)
    # "I'd like you to ask him": the parse may hang "you to ask" as a clause of its own.
    asked = [c for c in _children(verb, "ccomp") if any(a.lower_ == "to" for a in _children(c, "aux"))]
    wisher = _subject(verb)
    by_me = wisher is not None and wisher.lower_ in {"i", "we"} and bool({"'d", "would"} & set(auxiliaries))
    if linked in WISHES and asked and by_me and any(s.lower_ == "you" for s in _children(asked[0], "nsubj")):
        return "request", asked[0]
    if linked and (complement := _children(verb, "xcomp")):
        if verb.tag_ in {"VBD", "VBN"} or any(a in {"was", "were", "had", "did"} for a in auxiliaries):
            return None  # "I was going to call them"
        if linked in WISHES:
            return _wish(verb, complement[0], auxiliaries)
        if any(a in SPECULATIVE - {"would", "'d"} for a in auxiliaries):
            return None
        return LINKED_FRAMES.get(linked, "future"), complement[0]
    if verb.lemma_ in NOT_ACTION_VERBS and verb.lemma_ not in ACTION_VERBS:
        return None
    if _planned_by_name(verb, auxiliaries):
        return "future", verb
    if verb.tag_ in {"VBD", "VBN"} and not any(a in FUTURE | OBLIGATION for a in auxiliaries):
        return None
    if any(a in FUTURE for a in auxiliaries):
        return "future", verb
    if any(a in OBLIGATION for a in auxiliaries):
        return "obligation", verb
    subject = _subject(verb)
    modals = [a for a in _auxiliaries(verb) if a.lower_ in {"can", "could", "would", "will", "'d"}]
    if modals and subject is not None:
        if subject.lower_ == "you" and modals[0].i < subject.i:
            # "Would you mind chasing Musto?": the act is what is minded.
            minded = [c for c in _children(verb, "xcomp") if c.tag_ == "VBG"] if verb.lemma_ == "mind" else []
            return "request", (minded[0] if minded else verb)  # "Could you send me the logs?"
        if subject.lower_ == "i" and modals[0].lower_ == "can":
            return "ability", verb  # "I can take that one"
        return None
    if _is_imperative(verb, span) and (verb.lemma_ not in NOT_ACTION_VERBS or verb.lemma_ in ACTION_VERBS):
        return "imperative", verb
    return None


# When a named person's plan falls: "Megan's asking them today", "Ewan's digging a new drain next week".
PLANNED_TIMES = word_set(
    "today tonight tomorrow week monday tuesday wednesday thursday friday saturday sunday"
)


def _planned_by_name(verb: Token, auxiliaries: list[str]) -> bool:
    """A named person's present progressive with a day to come is their plan (the parse may read "'s"
    as a possessive); "Megan's been asking them all week" and "Megan's asking" alone are not."""
    subject = _subject(verb)
    if verb.tag_ != "VBG" or subject is None or subject.pos_ != "PROPN" or {"been", "was"} & set(auxiliaries):
        return False
    if subject.i + 1 >= len(verb.doc) or verb.doc[subject.i + 1].lower_ not in {"'s", "is"}:
        return False
    later = [t.lower_ for t in verb.subtree if t.i > verb.i]
    return "last" not in later and any(t in PLANNED_TIMES for t in later)


def _wish(verb: Token, complement: Token, auxiliaries: list[str]) -> tuple[str, Token] | None:
    """ "I'd like you to send it" asks; "you'll want to re-run it" advises a task; "I'd love to see a
    draft" asks indirectly; "I want to try TikTok" and "I'd like to sign her up" are the speaker's."""
    if any(c.dep_ == "nsubj" and c.lower_ == "you" for c in complement.children):
        return "request", complement
    subject = _subject(verb)
    who = subject.lower_ if subject is not None else ""
    if who == "you":
        return "advice", complement
    if who in {"i", "we"} and {"'d", "would"} & set(auxiliaries) and complement.lemma_ in SEEING_VERBS:
        return "indirect", complement
    return ("desire", complement) if who in {"i", "we"} else None


def _actor(subject: Token | None, frame: str) -> str | None:
    if frame in {"indirect", "advice"}:
        return "addressee"
    if frame in {"imperative"} or subject is None:
        return "addressee" if frame in {"imperative", "request"} else None
    lower = subject.lower_
    if lower in {"i"}:
        return "speaker"
    if lower in {"we", "'s", "us"}:
        return "we"
    if lower == "you":
        return "addressee"
    if lower in {"he", "she", "they"}:
        return "third"
    # "my colleague Ingrid is going to call": the name stands beside the noun.
    named = [c for c in subject.children if c.dep_ == "appos" or (c.dep_ == "compound" and c.pos_ == "PROPN")]
    if subject.pos_ == "PROPN" or subject.ent_type_ == "PERSON" or any(c.pos_ == "PROPN" for c in named):
        return "named"
    if subject.lemma_.lower() in PERSON_NOUNS:
        return "someone"
    return None


def _fallback_imperative(span: Span) -> Commitment | None:
    """The small parser often misreads short imperatives ("Please forward me the invoice") and verbs
    after "let's" ("Let's sync on Monday"); "please" before a base-form verb is a request anywhere
    ("That would be great, please reach out to her")."""
    tokens = list(span)
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        if token.lower_ == "please" and following.tag_ == "VB" and following.lemma_ not in NOT_ACTION_VERBS:
            return Commitment(following, "addressee", None, "imperative", hedged=False)
        lets = token.lower_ in {"'s", "us"} and index > 0 and tokens[index - 1].lower_ == "let"
        if lets and following.lower_ in ACTION_VERBS and not any(t.lower_ in {"not", "n't"} for t in tokens):
            return Commitment(following, "we", None, "let", hedged=False)
    # "Absolutely, just forward him the invite."
    agreeing = {"please", "just", "absolutely", "definitely", "certainly", "lovely", "fine"}
    tokens = [t for t in span if not (t.is_punct or t.lower_ in DISCOURSE_WORDS | agreeing)]
    if tokens and tokens[0].lower_ in ACTION_VERBS and tokens[0].tag_ not in {"VBD", "VBN", "VBZ", "VBG"}:
        preceding = span.text[: tokens[0].idx - span.start_char].lower()
        if "please" in preceding or tokens[0].pos_ != "VERB":
            return Commitment(tokens[0], "addressee", None, "imperative", hedged=False)
    return None


def find_commitment(span: Span) -> Commitment | None:
    """The first clause of the sentence that commits someone to a future action, if any."""
    lowered = {t.lower_ for t in span}
    hedged = bool(lowered & HEDGES)
    for head in _clause_heads(span):
        if head.dep_ == "ccomp" and head.head.lemma_ not in OPINION_VERBS | {"let", "make", "say"}:
            continue
        telling = _telling(head)
        if telling is not None:
            return telling
        found = _frame(head, span)
        if found is None:
            continue
        frame, verb = found
        if frame == "let" and verb.lemma_ == "know":  # "Let me know by Friday": the addressee is to act
            return Commitment(verb, "addressee", None, "imperative", hedged=hedged)
        if verb.lemma_ in NOT_ACTION_VERBS and verb.lemma_ not in ACTION_VERBS and frame != "indirect":
            continue
        subject = _subject(verb) if frame != "let" else None
        if frame == "let":
            let_subject = next(c for c in verb.children if c.lower_ in {"me", "us", "'s"})
            actor: str | None = "speaker" if let_subject.lower_ == "me" else "we"
        else:
            actor = _actor(subject, frame)
        if actor is None and frame == "future" and _said_without_subject(verb, span):
            actor = "speaker"  # "Will have it by next Tuesday.", "Sure, will do today."
        if actor is None:
            continue
        opinion = head.dep_ == "ccomp" and head.head.lemma_ in OPINION_VERBS
        trying = head.lemma_ == "try" or verb.head.lemma_ == "try"  # "I'll try to send it"
        return Commitment(verb, actor, subject, frame, hedged=hedged or opinion or trying)
    return _indirect_if(span) or _advice(span) or _fallback_imperative(span)


def _said_without_subject(verb: Token, span: Span) -> bool:
    """ "Will get them done tomorrow.": the speaker's "will" opens the sentence, its "I" left out."""
    first = next((t for t in span if not (t.is_punct or t.lower_ in DISCOURSE_WORDS)), None)
    return first is not None and first.lower_ == "will" and first.head == verb and _subject(verb) is None


def _advice(span: Span) -> Commitment | None:
    """ "You'll want to order the greens separately, they come from another farm": advice that the
    parse hangs under another clause."""
    match = ADVICE.search(span.text)
    if match is None:
        return None
    after = [t for t in span if t.idx >= span.start_char + match.end() and t.pos_ == "VERB"]
    return Commitment(after[0], "addressee", None, "advice", hedged=False) if after else None


def _telling(head: Token) -> Commitment | None:
    """ "I'll let the analysts know", "we'll let you know": the subject is to tell someone."""
    if head.lemma_ != "let" or not any(a.lower_ in FUTURE for a in _auxiliaries(head)):
        return None
    subject = _subject(head)
    known = [c for c in head.children if c.dep_ in {"ccomp", "xcomp"} and c.lemma_ == "know"]
    if subject is None or not known or subject.lower_ not in {"i", "we"}:
        return None
    return Commitment(known[0], "speaker" if subject.lower_ == "i" else "we", subject, "future", hedged=False)


def _indirect_if(span: Span) -> Commitment | None:
    if not INDIRECT_IF.search(span.text):
        return None
    for token in span:
        if token.dep_ == "advcl" and any(c.lower_ == "if" for c in token.children):
            return Commitment(token, "addressee", None, "indirect", hedged=False)
    return None
