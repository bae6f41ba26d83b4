"""Organisation names that spaCy splits or misreads, letters that name a thing, and key phrases that are
said because of a name (the eighth round's development errors, `test6` to `test4`)."""

from __future__ import annotations

from convoscope.pipeline.insights.entities import detect_entities
from convoscope.pipeline.insights.keyphrases import candidates
from convoscope.pipeline.insights.options import InsightOptions
from convoscope.pipeline.insights.parsed import ParsedConversation
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import parsed


def _organisations(conversation: ParsedConversation) -> set[str]:
    return {e.text for e in detect_entities(conversation, InsightOptions()) if e.kind == "organization"}


def test_names_joined_by_and_or_a_saints_possessive_are_one_name(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Fenella", "And who's your insurer for the boat?"),
            ("Colin", "I'm with Navigators and General, that's fine."),
            ("Fenella", "So, the spring concert, May 16 at St Mary's Church."),
            ("Colin", "We quoted for Tesla and Enphase batteries last time."),
            ("Fenella", "Tom and Priya are bringing them."),
        ],
    )
    organisations = _organisations(conversation)
    assert {"Navigators and General", "St Mary's Church", "Tesla", "Enphase"} <= organisations
    assert not organisations & {"Navigators", "St Mary", "Church", "Tom and Priya", "Priya"}


def test_company_words_that_open_or_close_a_name(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Marcy", "Bluestem Landscaping missed two mows in April, and the edging's a mess."),
            ("Devon", "Fenwick Leasing quoted us, but over three years it's about twelve percent more."),
            ("Marcy", "Where are the speakers staying?"),
            ("Devon", "Hotel Kvarter, it's five minutes' walk from the venue."),
        ],
    )
    assert {"Bluestem Landscaping", "Fenwick Leasing", "Hotel Kvarter"} <= _organisations(conversation)


def test_letters_said_as_a_thing_are_no_organisation(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Gwen", "That's fine, just export it as a PDF with bleed and send it to Printwell."),
            ("Rafe", "Can you share the order IDs that failed so we can check our logs?"),
            ("Gwen", "They're asking for an ETA, and the FAA waiver came through yesterday."),
        ],
    )
    organisations = _organisations(conversation)
    assert not organisations & {"PDF", "IDs", "ETA"}
    assert "FAA" in organisations  # a modifier after "a/an" names who sets it: "an FAA waiver" is kept


def test_key_phrases_mark_places_and_stop_at_an_is(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Nadia", "The engineer comes to Canal Street on Tuesday for the fibre installation."),
            ("Omar", "Great, and the line's live straight after?"),
        ],
    )
    found = {c.text: c for c in candidates(conversation)}
    assert found["Canal Street"].names_a_place
    assert not found["fibre installation"].names_a_place
    assert not any("live" in text for text in found)


def test_made_up_names_are_companies_and_plain_words_are_not(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Ines", "Forty yards from Holcim, same mix as the second floor."),
            ("Raul", "Great, can you book the load on Truxly so I can track him?"),
            ("Ines", "Delivery drivers, any news?"),
            ("Raul", "Classic, the van broke down again."),
        ],
    )
    organisations = _organisations(conversation)
    assert {"Holcim", "Truxly"} <= organisations
    assert not organisations & {"Delivery", "Classic"}
