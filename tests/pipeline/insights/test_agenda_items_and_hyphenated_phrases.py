"""Key phrases of the fourteenth round (from every development set's topic misses): an agenda item a
sentence opens with ("Spill kits, ...", "Crash rate next."), said once; hyphenated words ("walk-in
cooler", "insurance write-off"); gerunds before a noun ("charging carts") and the few nouns and
modifiers that spaCy lists as stop words ("breakfast show", "down payment")."""

from __future__ import annotations

import pytest

from convoscope.pipeline.insights.fronted import fronted_subject
from convoscope.pipeline.insights.keyphrases import candidates
from convoscope.pipeline.insights.topics import detect_topics
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import parsed


def _opening(models: LanguageModels, sentence: str) -> str | None:
    doc = models.spacy()(sentence)
    tokens = fronted_subject(next(iter(doc.sents)))
    return " ".join(t.text for t in tokens if t.text != "-") if tokens else None


@pytest.mark.parametrize(
    ("sentence", "item"),
    [
        ("Fire drills, we had two this month and both ran long.", "Fire drills"),
        ("Next, parking permits, we've had six complaints.", "parking permits"),
        ("Boiler inspection first, Harriet.", "Boiler inspection"),
        ("Gutter clearing next, the leaves are back.", "Gutter clearing"),
        ("And the staff rota, I've had three swap requests.", "staff rota"),
        ("Okay, now sponsorship, we raised more than last year.", "sponsorship"),
        ("Right, the shed break-in.", "shed break - in"),
    ],
)
def test_an_item_put_first_is_read(models: LanguageModels, sentence: str, item: str) -> None:
    assert _opening(models, sentence) == item.replace(" - ", " ")


@pytest.mark.parametrize(
    "sentence",
    [
        "Thank goodness, the van started.",
        "Sorry, I was on mute.",
        "Hm, let me check.",
        "Look, I know it's late.",
        "The printer jammed again this morning.",
        "Parcels.",
    ],
)
def test_a_sentence_that_opens_with_no_item(models: LanguageModels, sentence: str) -> None:
    assert _opening(models, sentence) is None


def test_agenda_items_said_once_are_topics(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Nadia", "Okay, let's get going, there's a lot on the list."),
            ("Nadia", "Fire drills first, we had two this month and both ran long."),
            ("Colm", "The second one took eleven minutes to clear the building."),
            ("Nadia", "That's too slow, the target is six."),
            ("Colm", "The alarm on the top floor is hard to hear."),
            ("Nadia", "Next, parking permits, we've had six complaints."),
            ("Colm", "Visitors keep taking the staff spaces."),
            ("Nadia", "Could we paint the bays a different colour?"),
            ("Colm", "I'll ask the landlord about it."),
            ("Nadia", "Gutter clearing next, the leaves are back."),
            ("Colm", "The contractor can come on Tuesday."),
            ("Nadia", "Great, book him in."),
        ],
    )
    keys = {c.key: c for c in candidates(conversation)}
    assert {"fire drill", "parking permit", "gutter clearing"} <= keys.keys()
    assert all(keys[k].fronted for k in ("fire drill", "parking permit", "gutter clearing"))
    texts = {t.text.lower() for t in detect_topics(conversation, {})[0]}
    assert {"fire drills", "parking permits", "gutter clearing"} <= texts


def test_hyphenated_words_gerunds_and_stop_word_nouns_stay_in_phrases(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Rhys", "Did they do a move-out inspection with you there?"),
            ("Ana", "Yes, and they mentioned the insurance write-off on the van."),
            ("Rhys", "Are the charging carts in the library yet?"),
            ("Ana", "What are you thinking for the down payment?"),
            ("Rhys", "The ratings were up, mostly on the breakfast show."),
            ("Ana", "It's a forty-minute drive from the depot."),
            ("Rhys", "So no same-day adoptions at the open day?"),
        ],
    )
    texts = {c.text for c in candidates(conversation)}
    assert {"move-out inspection", "insurance write-off", "charging carts", "down payment"} <= texts
    assert {"breakfast show", "same-day adoptions"} <= texts
    # A duration written with a hyphen is a detail, as "forty minutes" is.
    assert not any("forty" in text for text in texts)
