"""Key-phrase candidates of a conversation: the noun phrases people would use as topic names.

Candidates are noun chunks ("the new onboarding checklist" -> "onboarding checklist") and
"noun of noun" phrases ("heads of terms"), without determiners, pronouns, numbers, dates, people,
filler nouns ("thing", "lot") and vague adjectives ("same", "whole"), at most three words. A
candidate's count is the number of messages that say it (as lemmas, so "refund policies" counts for
"refund policy"), and the messages where it is said are kept for the topic.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from convoscope.pipeline.insights.commitments import ACTION_VERBS
from convoscope.pipeline.insights.fronted import fronted_subject
from convoscope.pipeline.insights.grammar import word_set
from convoscope.pipeline.insights.parsed import ParsedConversation, conversation_members
from convoscope.pipeline.insights.phrase_words import hyphen_word, hyphenated, wordy

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

FILLER_NOUNS = word_set(
    """thing things lot lots bit kind sort way ways stuff guy guys people person time times today day days
    week weeks month year years minute minutes second seconds hour hours question questions answer point
    idea ideas something anything everything nothing everyone someone anyone one ones yes no yeah okay
    hello hi thanks thank morning afternoon evening tonight tomorrow yesterday part end number case fact
    moment sense sure problem issue issues name example place word words side area step details note
    start meantime couple percent half piece chance sound look job work call meeting thanks point news
    right wrong deal"""
)
VAGUE_ADJECTIVES = word_set(
    """same other whole next last first second third big small good great little few many much more most
    main own new old real right quick sure nice bad best better different certain several such only
    whole entire overall usual current total fair exact amazing awesome perfect fine okay honest"""
)
# People are who talks, not what is talked about; numbers and dates are details.
SKIPPED_ENTITY_TYPES = frozenset(
    {"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
)
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
# "winter timetable", "monthly round", "annual fee": a season or a frequency before a noun names a kind
# of thing, not a date, though spaCy tags it DATE ("next winter" still is one).
RECURRING_WORDS = word_set(
    """winter summer spring autumn christmas easter weekend daily weekly monthly quarterly annual yearly
    nightly"""
)
# How to reach someone is asked in a call, not discussed: "phone number", "my husband's number", "date
# of birth", "bank details" (none of 1,210 labelled topics; "order number" and "delivery address" are).
CONTACT_DETAILS = re.compile(
    r"^(?:(?:phone|mobile|telephone|contact|home|landline|bank|email|e-mail) (?:number|details|address)|"
    r"date of birth|[\w-]+'s (?:number|mobile|phone number|email)|postcode)$"
)
NOT_TOPICS = word_set("com dot org net")  # "gmail dot com": an address spelled out
QUANTITY_NOUNS = word_set("lot lots bunch couple kind sort number amount piece part half rest most some")
MAX_WORDS = 3
# Verbs that "How does the X ...?" ends with, which the tagger reads as the phrase's head noun.
VERB_LIKE_NOUNS = word_set("work go look sound feel run fit compare happen help matter change")
# A sentence that brings up a subject: "Let's look at the spring campaign results", "Next up is the
# pricing page", "What about the catering menu?"; or one without a verb ("Now, the new warehouse.").
INTRODUCING = re.compile(
    r"^(?:(?:okay|ok|so|and|now|then|first|next|also|right|great|alright)[,.]? )*"
    r"(?:let's (?:start with|look at|talk about|go (?:through|over)|move on to|turn to|get to|discuss|"
    r"review)|"
    r"next (?:up )?is|moving on to|on the|what about|how about the|the (?:next|other|big|last|main) "
    r"(?:item|thing|topic|issue|problem|question|one) is|the goal (?:today )?is|"
    r"i (?:want|wanted|'d like) to (?:talk about|go over|discuss|understand)|today (?:i'd like|we'll))",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    text: str  # as said (proper nouns keep their capitals)
    key: str  # lemmas, lower case
    message_ids: list[str] = field(default_factory=list)
    introduced: bool = False  # brought up as a subject: "Next, the pricing page.", "What about X?"
    fronted: bool = False  # an agenda item a sentence opens with: "Spill kits, ...", "Crash rate next."
    asked_about: bool = False  # said in a question: people ask about what the meeting is about
    names_a_place: bool = False  # "Canal Street", "Bristol airport": where, rather than what

    @property
    def words(self) -> int:
        return len(self.key.split())


def _last_stretch(tokens: list[Token]) -> list[Token]:
    """The words of a noun chunk after its last break ("Yes, organic carrots" -> "organic carrots");
    only hyphens and possessives may stand between them ("post-surgery checkup", "master's program")."""
    stretch: list[Token] = []
    for token in tokens:
        # "line's live": the "'s" of "is", not a possessive, ends the phrase.
        joining = token.text == "-" or (token.text in {"'s", "’s"} and token.tag_ == "POS")
        if wordy(token) or (joining and stretch):
            stretch.append(token)
        else:
            stretch = []
    return [t for t in stretch if t.text not in {"-", "'s", "’s"}]


def _clean(tokens: list[Token], member_words: set[str], fronted: bool = False) -> list[Token] | None:
    """The key phrase of a noun chunk, or None; `fronted`: the item a sentence opens with (`fronted`),
    whose words the tagger often reads as verbs ("Count venue first", "Docking stations, ...")."""
    kept = [t for t in tokens if t.text != "-"] if fronted else _last_stretch(tokens)
    while kept and kept[0].pos_ == "ADJ" and kept[0].lower_ in VAGUE_ADJECTIVES and not hyphenated(kept[0]):
        kept = kept[1:]
    # "to book vaccinations": a verb the tagger took for a noun.
    if not fronted and len(kept) > 1 and kept[0].lemma_.lower() in ACTION_VERBS and kept[0].i > 0:
        before = kept[0].doc[kept[0].i - 1]
        if before.lower_ in {"to", "please", "'s"} or kept[0].i == kept[0].sent.start:
            kept = kept[1:]
    if not kept or any(_a_detail(t, kept[-1]) or t.lower_ in member_words for t in kept):
        return None
    kept = _last_words(kept)
    # "HX3 7PL": a postcode or a code, every word with a digit in it.
    if all(any(c.isdigit() for c in t.text) for t in kept):
        return None
    head = kept[-1]
    if head.lower_ in NOT_TOPICS or sum(len(t.text) == 1 for t in kept) > 1:  # "p t": letters spelled out
        return None
    # "quick question", "Fair point, ..." ("Fair" read as a name), but "booking numbers".
    if head.lemma_.lower() in FILLER_NOUNS and all(
        t.pos_ == "ADJ" or t.lower_ in FILLER_NOUNS | VAGUE_ADJECTIVES for t in kept[:-1]
    ):
        return None
    # A hyphenated word ends a phrase as a noun ("the insurance write-off", "single sign-on").
    if fronted or (hyphenated(head) and head.pos_ != "ADJ"):
        return kept
    if head.pos_ not in {"NOUN", "PROPN"}:
        return None
    # "How does the pricing work?", "the portal mangles them": a verb the tagger took for a noun.
    if head.tag_.startswith("VB") or (
        head.dep_ == "ROOT" and any(c.dep_ in {"aux", "nsubj"} and c.i < head.i for c in head.children)
    ):
        return None
    if not _a_verb_mistaken(head, kept[0]):
        return kept
    # "How does the crane schedule work?": the phrase without the verb, if a noun is left.
    return kept[:-1] if len(kept) > 1 and kept[-2].pos_ in {"NOUN", "PROPN"} else None


def _last_words(tokens: list[Token]) -> list[Token]:
    """The last `MAX_WORDS` words, a hyphenated word counting as one ("volunteer sign-up sheet")."""
    words = 0
    for position in range(len(tokens) - 1, -1, -1):
        token = tokens[position]
        joined = position > 0 and hyphenated(token) and token.i == tokens[position - 1].i + 2
        if not joined:
            words += 1
        if words == MAX_WORDS:
            return tokens[position:]
    return tokens


def _a_detail(token: Token, head: Token) -> bool:
    """A person, a date, a number: details, not topics. Not details: a season or a frequency before a
    noun ("winter timetable"); a count inside a hyphenated word, which names a kind ("two-bedroom
    flat", "one-to-one support"; "forty-minute drive" is a duration, "40-foot container" a size); a
    name the tagger gave a common noun ("Volunteer rota": a person is a proper noun)."""
    if token.ent_type_ not in SKIPPED_ENTITY_TYPES:
        return False
    if hyphenated(token):
        return token.ent_type_ in {"DATE", "TIME", "QUANTITY"} and any(t.like_num for t in hyphen_word(token))
    if token.ent_type_ == "PERSON":
        return token.pos_ == "PROPN"
    return not (token.ent_type_ == "DATE" and token.lower_ in RECURRING_WORDS and token.i != head.i)


def _a_verb_mistaken(head: Token, first: Token) -> bool:
    """ "How does the pricing work?", "their portal mangles Word files": the head of the phrase is
    the sentence's verb, tagged as a noun."""
    asked_how = head.lemma_.lower() in VERB_LIKE_NOUNS and any(
        t.lemma_ == "do" and t.i < first.i for t in head.sent
    )
    following = head.doc[head.i + 1] if head.i + 1 < len(head.doc) else None
    plural_verb = (
        head.tag_ == "NNS"
        and following is not None
        and following.pos_ in {"PROPN", "NOUN", "DET"}
        and following.ent_type_ not in {"DATE", "TIME"}
    )
    return asked_how or plural_verb


def _said(tokens: list[Token]) -> str:
    """The phrase as said, with its hyphens and possessives ("post-surgery checkup", "master's
    program"); proper nouns keep their capitals."""
    doc = tokens[0].doc
    first, last = tokens[0].i, tokens[-1].i
    if last - first + 1 > len(tokens) + 2:  # not one stretch of text ("heads of terms" is)
        return " ".join(t.text if t.pos_ == "PROPN" else t.text.lower() for t in tokens)
    said = "".join(t.text_with_ws for t in doc[first : last + 1]).strip()
    return " ".join(
        word if any(c.isupper() for c in word[1:]) or _is_name(doc, word) else word.lower()
        for word in said.split()
    )


def _is_name(doc: Doc, word: str) -> bool:
    return any(t.text == word and t.pos_ == "PROPN" for t in doc)


def _introduces(sentence: Span) -> bool:
    words = [t for t in sentence if not t.is_punct]
    return bool(INTRODUCING.match(sentence.text.strip())) or (
        len(words) >= 2 and not any(t.pos_ in {"VERB", "AUX"} and not hyphenated(t) for t in words)
    )


def _phrases(conversation: ParsedConversation) -> list[tuple[str, list[Token], bool, bool, bool]]:
    """(message id, tokens, whether the sentence brings it up, whether it asks, whether the sentence
    opens with it) of every candidate."""
    found = []
    for message, doc in zip(conversation.messages, conversation.docs, strict=True):
        for sentence in doc.sents:
            subject = fronted_subject(sentence)
            if subject:
                found.append((message.id, subject, True, sentence.text.rstrip().endswith("?"), True))
        for chunk in doc.noun_chunks:
            introduced = _introduces(chunk.sent)
            asked = chunk.sent.text.rstrip().endswith("?")
            found.append((message.id, list(chunk), introduced, asked, False))
            # "heads of terms", "months of runway": a noun and its "of" complement.
            after = doc[chunk.end : chunk.end + 1]
            head = chunk.root.lemma_.lower()
            if len(after) and after[0].lower_ == "of" and head not in QUANTITY_NOUNS | FILLER_NOUNS:
                for other in doc.noun_chunks:
                    # A bare noun after "of": "heads of terms", not "cases of the kale".
                    bare = all(t.pos_ in {"NOUN", "PROPN", "ADJ"} for t in other) and len(other) <= 2
                    if (
                        other.start == chunk.end + 1
                        and bare
                        and other.root.lemma_.lower() not in FILLER_NOUNS
                    ):
                        found.append(
                            (message.id, [chunk.root, after[0], *list(other)], introduced, asked, False)
                        )
    return found


def candidates(conversation: ParsedConversation) -> list[Candidate]:
    """Every key-phrase candidate with the messages that say it."""
    member_words = {
        part.lower() for m in conversation_members(conversation.transcript) for part in m.name.split()
    }
    by_key: dict[str, Candidate] = {}
    for message_id, tokens, introduced, asked, fronted in _phrases(conversation):
        if any(t.lower_ == "of" for t in tokens):
            kept = [t for t in tokens if not (t.pos_ in {"DET", "PRON", "NUM"} or t.is_punct)]
            hedge = kept[0].lower_ in QUANTITY_NOUNS or kept[0].pos_ == "ADV"  # "kind of squealing"
            hedge = hedge or any(t.ent_type_ in SKIPPED_ENTITY_TYPES for t in kept)  # "5th of May"
            if hedge or len(kept) > MAX_WORDS or kept[-1].pos_ not in {"NOUN", "PROPN"}:
                continue
        else:
            cleaned = _clean(tokens, member_words, fronted)
            if cleaned is None:
                continue
            kept = cleaned
        key = " ".join(t.lemma_.lower() for t in kept)
        text = _said(kept)
        if CONTACT_DETAILS.match(text.lower()):
            continue
        candidate = by_key.setdefault(key, Candidate(text, key))
        candidate.introduced = candidate.introduced or introduced
        candidate.fronted = candidate.fronted or fronted
        candidate.asked_about = candidate.asked_about or asked
        candidate.names_a_place = candidate.names_a_place or any(t.ent_type_ in PLACE_TYPES for t in kept)
        if message_id not in candidate.message_ids:
            candidate.message_ids.append(message_id)
    _count_inner_mentions(conversation, by_key)
    return list(by_key.values())


def _count_inner_mentions(conversation: ParsedConversation, by_key: dict[str, Candidate]) -> None:
    """A phrase said inside a longer one counts too: "refund policy" in "the full refund policy"."""
    by_first_word: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in by_key.values():
        if candidate.words > 1:
            by_first_word[candidate.key.split()[0]].append(candidate)
    for message, doc in zip(conversation.messages, conversation.docs, strict=True):
        words = [t.lemma_.lower() for t in doc if not t.is_punct]
        present = set(words) & by_first_word.keys()
        if not present:
            continue
        lemmas = " " + " ".join(words) + " "
        for first in present:
            for candidate in by_first_word[first]:
                if message.id not in candidate.message_ids and f" {candidate.key} " in lemmas:
                    candidate.message_ids.append(message.id)
