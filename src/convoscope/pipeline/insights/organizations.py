"""Organisations named in a conversation, found with the conversation's own context.

The small spaCy model misses most unfamiliar company names ("Norland Freight", "RouteWise") and
calls some of them people or places, so a name is judged on everything the conversation says about
it: how spaCy labels each of its mentions, a company word at its end ("Labs", "Freight", "Health"),
a brand spelling ("QuickBooks"), the words around it ("calling ParcelPoint", "switched to Bluecross",
"the Samsara trackers"), the members' e-mail domains, how often it comes up, and whether the sentence
embedder reads it as a first name ("Marcus") or as nobody's ("Kwik Fit said..."). A member's name, a
name spoken to ("Hi Jamal,"), a day or a month is no organisation, nor is a place the sentence
embedder knows as one (it knows "Lisbon" and "Maple Avenue"; spaCy's place labels are too often wrong
on company names to count). Every mention of a name that passes is an organisation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from convoscope.pipeline.insights.grammar import word_set
from convoscope.pipeline.insights.name_likeness import (
    KNOWN_COMPANY,
    KNOWN_PLACE,
    LIKE_A_PERSON,
    LIKELY_PLACE,
    NOT_A_PERSON,
    dictionary_words,
    likeness,
    plain_word_name,
    trade_name,
)
from convoscope.pipeline.insights.organization_clues import (
    a_customer_of,
    agrees_as_a_group,
    common_noun_acronym,
    coordinated_modifier,
    is_brand_spelling,
    joined_and_singular,
    referred_to_as_they,
)
from convoscope.pipeline.insights.parsed import ParsedConversation, conversation_members

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

COMPANY_WORDS = word_set(
    """inc ltd llc gmbh corp co company group labs lab health bank capital ventures partners foods freight
    logistics properties legal analytics software systems solutions retail insurance pharma bio data cloud
    media studio works mining metals parts produce consulting kitchen clinic university college school
    hotel motors holdings technologies tech networks energy airlines financial services agency creative
    digital homes haulage build fiber elementary bank paper developments grain travel soft softlab auto body
    council veterinary way pharmaceuticals geoscience pharmacy electric cpa autoworks plumbing roofing dental
    collective landscaping landscapes leasing brewing brewery trust church cafe café orchestra association
    management coaches fund foundation brokers storage engineering academy hospice gazette audio centre
    air environmental union vets sons rail hire care rescue uk print"""
)
# A company word that opens a name: "Hotel Kvarter", "Bank of Ireland".
LEADING_COMPANY_WORDS = word_set("hotel bank cafe café club")
SAINTS = word_set("St St. Saint")  # "St Mary's Church", "St Mark's": the possessive belongs to the name
BEFORE = word_set(
    """at from with for by via through called calling use using uses used switched moved integrate
    integrates partner join joined contact contacted call email pay cancel order ordered keep install
    adopt"""
)
# "in Figma", "on Eventbrite": a tool or a service as often as a place (known places are dropped below).
PLACE_OR_TOOL_BEFORE = word_set("into on in")
WEAK_BEFORE = word_set("to")
AFTER = word_set(
    """team teams account accounts contract deal integration support office rep reps trackers tracker importer
    customers plan plans platform app api portal board agreement invoice order orders code stats board
    install cluster client dashboard codes legal lawyers"""
)
NOT_NAMES = word_set(
    """I Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mondays Tuesdays Wednesdays Thursdays
    Fridays Saturdays Sundays January February March April May June July August September October
    November December OK Okay Hi Hey Yes No Thanks Mr Mrs Ms Dr Prof Sir Madam
    Morning Afternoon Evening Good Great Perfect Sure Hello Congrats Christmas Easter Series Q1 Q2 Q3 Q4
    English Spanish Swedish Norwegian German French European American Nordic CEO CFO COO CTO VP HR IT ID
    API SQL VPN TLS SLA"""
)
TITLES = word_set("Mr Mrs Ms Dr Prof Mr. Mrs. Ms. Dr. Prof.")
PERSONAL_MAIL_DOMAINS = word_set(
    "gmail googlemail outlook hotmail live yahoo icloud me aol proton protonmail gmx example"
)
SECOND_LEVEL_DOMAINS = word_set("co com org net ac gov ltd plc")
THRESHOLD = 2.0
# How a call is answered: "Linden Pharmacy, this is Tomasz.", "Hartwell & Greer, Rebecca speaking.",
# "Crumb & Crust, Rosa here.", "Saltmarsh Marina office, Fenella here."
ANSWERING = re.compile(
    r"^(?:(?:office|desk|reception|bookings|enquiries|support|customer (?:care|service|services)) ?)?"
    r", (?:this is|[A-Z][a-z]+ (?:speaking|here)\b|how (?:can|may) I help|good (?:morning|afternoon))"
)


def _runs(doc: Doc) -> Iterator[Span]:
    """Maximal runs of capitalised proper nouns (and company words after them) in a message."""
    start = None
    for token in [*doc, None]:
        capitalised = (
            token is not None
            and token.text[:1].isupper()
            and token.text not in NOT_NAMES
            # "Tully" in "And Tully Architects have...", tagged an adverb, is still a name to the recogniser
            and (token.pos_ in {"PROPN", "NOUN", "ADJ"} or token.ent_type_ in {"ORG", "PRODUCT", "PERSON"})
        ) or (
            start is not None
            and token is not None
            and (
                _joins(token)
                or _after_inner_hyphen(token)
                or _saints_possessive(doc, start, token)
                or _joins_common_words(token)
            )
        )
        if capitalised and start is None:
            start = token.i
        elif not capitalised and start is not None:
            end = token.i if token is not None else len(doc)
            if doc[start].text.lower() == "the":
                start += 1
            if start < end:
                yield doc[start:end]
            start = None


def _joins(token: Token) -> bool:
    """ "&" or "of" between capitalised words ("Hartwell & Greer", "Department of Transportation"), a
    hyphen inside a word ("U-Haul", "Growers Co-op")."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if following is None:
        return False
    if token.text == "-" and not token.whitespace_ and not token.nbor(-1).whitespace_:
        return following.is_alpha
    if not following.text[:1].isupper() or following.text in NOT_NAMES:
        return False
    return token.text == "&" or token.lower_ == "of"


def _after_inner_hyphen(token: Token) -> bool:
    """The "op" of "Co-op": a lower-case part after a hyphen inside a name is still the name."""
    if token.i == 0 or not token.is_alpha:
        return False
    hyphen = token.nbor(-1)
    return hyphen.text == "-" and _joins(hyphen)  # `_joins`: a hyphen with no space on either side


def _joins_common_words(token: Token) -> bool:
    """ "with Navigators and General": "and" between two capitalised words mid-sentence, one of them a
    common word ("navigators", "general") or a singular verb after them, with no noun after them: one
    name, not two names listed ("Tesla and Enphase batteries") or two people ("Tom and Priya")."""
    if token.lower_ != "and" or token.i + 1 >= len(token.doc) or token.i < 2:
        return False
    before, after = token.nbor(-1), token.nbor(1)
    following = token.doc[after.i + 1] if after.i + 1 < len(token.doc) else None
    if not after.text[:1].isupper() or after.text in NOT_NAMES:
        return False
    # "the biggest one Quill and Fern has done": two names with a singular verb are one name, whatever
    # spaCy takes them for (two people "have").
    if following is not None and following.tag_ == "VBZ":
        return True
    # "Pardoe and Sons", "Blake and Daughters": a family firm, whoever the first name is
    if after.lower_ in {"sons", "daughters"} and (following is None or following.pos_ != "NOUN"):
        return True
    if "PERSON" in {before.ent_type_, after.ent_type_}:
        return False
    common = before.pos_ in {"NOUN", "ADJ"} or after.pos_ in {"NOUN", "ADJ"}
    return common and (following is None or following.pos_ not in {"NOUN", "PROPN"})


def _saints_possessive(doc: Doc, start: int, token: Token) -> bool:
    """The "'s" of "St Mary's Church" or "St Mark's": a saint's name is the place's, not an owner."""
    return token.text in {"'s", "’s"} and doc[start].text in SAINTS and token.i - start <= 2


def _mention_evidence(span: Span) -> float:
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    sentence_start = span.start == span.sent.start or (before is not None and before.is_punct)
    evidence = 0.0 if sentence_start else 1.0
    labels = {t.ent_type_ for t in span}
    if labels & {"ORG", "PRODUCT"}:
        evidence += 1.5
    if labels & {"NORP", "DATE", "TIME"}:
        evidence -= 1.5
    if "PERSON" in labels:
        evidence -= 1.0
    if (before is not None and before.lower_ in BEFORE) or (
        before is not None and before.lower_ in PLACE_OR_TOOL_BEFORE
    ):
        evidence += 1.0
    elif before is not None and before.lower_ in WEAK_BEFORE:
        evidence += 0.5
    if (before is not None and before.text in TITLES) or span[0].text in TITLES:
        evidence -= 5.0  # "Dr. Albrecht"
    if after is not None and after.lower_ in AFTER:
        evidence += 1.0
    elif (
        after is not None
        and after.pos_ == "NOUN"
        and (
            (before is not None and before.lower_ == "the")
            or (span[-1].dep_ == "compound" and not sentence_start)
        )
    ):
        # "the Elastic mapping", "my Okta prompts", "Samsara devices": a product named as a modifier
        evidence += 1.0
    elif coordinated_modifier(span):
        evidence += 1.0  # "Tesla and Enphase batteries": both name the product
    group = referred_to_as_they(span)
    spoken_to = (
        after is not None
        and after.text == ","
        and (before is None or before.lower_ in {"hi", "hey", "thanks"})
        and not group
    )
    if group or a_customer_of(span):
        evidence += 2.5  # "Rockhaus, they come out...", "I'm with Zurich": a firm, not a person or a place
    if agrees_as_a_group(span) or joined_and_singular(span):
        evidence += 2.0  # outweighs spaCy's person label: no one person "have been", no two "has"
    answering = sentence_start and bool(ANSWERING.match(doc[span.end :].text if span.end < len(doc) else ""))
    if answering:
        evidence += 2.0
    elif spoken_to and span[-1].lower_ not in COMPANY_WORDS and span[0].lower_ not in LEADING_COMPANY_WORDS:
        evidence -= 2.0  # "Hi Jamal, ...": a name spoken to
    return evidence


def _names_the_subject(span: Span) -> bool:
    """ "Petromax only has two drivers", "Labcert did five": a proper noun, its clause's subject (at a
    sentence's start, a name when the embedder reads it as nobody's and it is no English word)."""
    head = span[-1]
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if after is None or after.is_punct:  # "Ugh, I know": a word said on its own
        return False
    return head.dep_ == "nsubj" and head.tag_ in {"NNP", "NNPS"} and head.head.pos_ in {"VERB", "AUX"}


def _asks_a_price(span: Span) -> bool:
    """Who sells: a clause's subject with a sum in it ("Agromaq quoted €2,800"; not "Dan said it's £3")."""
    head, below = span[-1], {"ccomp", "conj", "advcl", "xcomp", "relcl", "parataxis", "csubj", "nsubj"}
    parts = [c for c in head.head.children if c.dep_ not in below] if head.dep_ == "nsubj" else []
    return any(t.ent_type_ == "MONEY" for c in parts for t in c.subtree)


def organization_names(conversation: ParsedConversation) -> dict[str, str]:
    """Lower-cased name -> the name as first written, for every organisation the conversation names."""
    member_words = {
        part.lower().strip(".")
        for m in conversation_members(conversation.transcript)
        for part in m.name.split()
    }
    domains = set()
    for member in conversation_members(conversation.transcript):
        domain = (member.email or "").rpartition("@")[2].lower().split(".")[:-1]
        while domain and domain[-1] in SECOND_LEVEL_DOMAINS:  # "tullyarchitects.co.uk"
            domain.pop()
        if domain and domain[-1] not in PERSONAL_MAIL_DOMAINS:
            domains.add(domain[-1])
    evidence: dict[str, list[float]] = defaultdict(list)
    place_labels: dict[str, bool] = {}
    written: dict[str, str] = {}
    things: set[str] = set()  # said as a thing at least once ("a PDF")
    subjects: set[str] = set()  # the subject of a clause at least once
    prices: set[str] = set()  # the subject of a clause with a sum of money in it at least once
    customers: set[str] = set()  # "I'm with Zurich": a place's name is a firm's too
    joined: list[tuple[str, str]] = []  # "Greggs and Fernhill Bakeries": names listed together
    for doc in conversation.docs:
        spans = list(_runs(doc))
        joined += [
            (a.text.lower(), b.text.lower())
            for a in spans
            for b in spans
            if b[-1].dep_ == "conj" and a.start <= b[-1].head.i < a.end and a != b
        ]
        for span in spans:
            words = [w.lower().strip(".") for w in span.text.split()]
            # "Russo Build", and "Tully Architects" when a member writes from tullyarchitects.co.uk
            named_after_member = len(words) > 1 and (words[-1] in COMPANY_WORDS or "".join(words) in domains)
            if (set(words) & member_words and not named_after_member) or len(span.text) < 2:
                continue
            key = span.text.lower()
            written.setdefault(key, span.text)
            evidence[key].append(_mention_evidence(span))
            if _names_the_subject(span):
                subjects.add(key)
            if _asks_a_price(span):
                prices.add(key)
            if a_customer_of(span):
                customers.add(key)
            if common_noun_acronym(span):
                things.add(key)
            place_labels[key] = place_labels.get(key, True) and all(
                t.ent_type_ in {"GPE", "LOC"} for t in span
            )
    keys = list(evidence)
    likenesses = likeness(conversation, [written[k] for k in keys])
    lower_words = {t.text for doc in conversation.docs for t in doc if t.text.islower()}
    dictionary = dictionary_words(conversation)
    found = {}
    for key, (place, company, person) in zip(keys, likenesses, strict=True):
        values = evidence[key]
        words = key.split()
        company_word = len(words) > 1 and (words[-1] in COMPANY_WORDS or words[0] in LEADING_COMPANY_WORDS)
        if key in things:
            continue
        # spaCy calling every mention a place is not enough ("in Figma"); with the embedder half sure, it is.
        placed = place >= KNOWN_PLACE or (place >= LIKELY_PLACE and place_labels[key])
        if placed and not company_word and key not in customers:
            continue
        # Said again and again mid-sentence ("go with Kafka", "Kafka consultants"): what the
        # conversation is about, which a person spoken of rarely is without a title or a member's name.
        again = len(values) >= 3 and max(values) >= 1.0
        total = max(values) + (1.0 if again else 0.5 * (len(values) > 1))
        total += 2.0 if company_word else 0.0
        total += 1.0 if company >= KNOWN_COMPANY else 0.0
        total += 2.0 if key in prices and not dictionary(written[key]) else 0.0  # not "Tickets are £5"
        # A name that reads as nobody's ("Kwik Fit said...", "Lightspeed is set up") is more likely a
        # company or a product, unless spaCy takes it for a place ("outside Fresno"); one that reads as
        # a first name, less.
        nobody = person < NOT_A_PERSON and not place_labels[key]
        if nobody and not plain_word_name(written[key], lower_words) and not dictionary(written[key]):
            total += 1.0
            if key in subjects and max(values) < 1.0:
                total += 1.0  # as much as a mention mid-sentence: "Petromax only has two drivers"
            if not company_word and trade_name(written[key], dictionary):
                total += 2.0  # weighs as a company word at its end does
        elif person > LIKE_A_PERSON:
            total -= 1.0
        if is_brand_spelling(written[key]):
            total += 1.5
        if key.replace(" ", "") in domains:
            total += 3.0
        if total >= THRESHOLD:
            found[key] = written[key]
    # A name listed with a firm is a firm ("Greggs and Fernhill Bakeries"), unless a place or a word.
    for a, b in joined + [(b, a) for a, b in joined]:
        plain = b in written and plain_word_name(written[b], lower_words)  # "Cash and card"
        if a in found and b not in found and b in evidence and not (place_labels[b] or plain or b in things):
            found[b] = written[b]
    return found
