"""A rare single noun as a topic, a firm named after a member who writes from its domain, and a made-up
name that is the subject at a sentence's start (the eighth round's second change, from `test7` to
`dev` errors)."""

from __future__ import annotations

from dataclasses import replace

from convoscope.pipeline.insights.keyphrases import candidates
from convoscope.pipeline.insights.organizations import organization_names
from convoscope.pipeline.insights.parsed import parse_conversation
from convoscope.pipeline.insights.topics import _rare_nouns, _relevance
from convoscope.pipeline.nlp import LanguageModels
from convoscope.pipeline.types import Speaker
from tests.fixtures.insights import parsed, transcript_of


def test_a_rare_noun_said_on_its_own_is_a_topic(models: LanguageModels) -> None:
    lines = [
        ("Nadia", "Morning, thanks for sending the ingredient files over."),
        ("Pietro", "No problem, the labels are all in the shared folder."),
        ("Nadia", "Before we start, do you have a glossary for the product names?"),
        ("Pietro", "We don't, the team just uses whatever the supplier wrote."),
        ("Nadia", "Then I'd suggest we build a glossary first, so the sauces read the same everywhere."),
        ("Pietro", "Makes sense, how long would that add?"),
        ("Nadia", "A day, maybe two, and the word count stays the same."),
        ("Pietro", "Fine, and the files come back as Word documents?"),
        ("Nadia", "Yes, with the certified translation stamped on each one."),
        ("Pietro", "Great, send me the quote when you can."),
    ]
    conversation = parsed(models, lines)
    pool = candidates(conversation)
    rarity = dict(zip([c.text for c in pool], _rare_nouns(conversation, pool), strict=True))
    assert rarity["glossary"] == 1.0  # split into word pieces: a rare word
    assert rarity["files"] < 0.2 and rarity["labels"] < 0.4  # common words
    assert rarity["certified translation"] == 0.0  # phrases rank as before
    relevance = dict(
        zip(
            [c.text for c in pool],
            _relevance(conversation, pool, conversation.embed([c.text for c in pool])),
            strict=True,
        )
    )
    assert relevance["glossary"] > max(relevance["files"], relevance["labels"])


def test_a_firm_named_after_a_member_who_writes_from_its_domain(models: LanguageModels) -> None:
    lines = [
        ("Margaret", "And Tully Architects have offered to run tours at 10 a.m. on the Saturday."),
        ("Desmond", "Yes, we'll bring the drawings for the roof as well."),
    ]
    members = (
        Speaker(id="id-margaret", name="Margaret Oyelaran", email="margaret.oyelaran@gmail.com"),
        Speaker(id="id-desmond", name="Desmond Tully", email="dtully@tullyarchitects.co.uk"),
    )
    transcript = replace(transcript_of(lines), members=members)
    assert "tully architects" in organization_names(parse_conversation(transcript, models))
    # Without the domain the surname is the member's, as before.
    plain = replace(transcript, members=(members[0], replace(members[1], email="desmond@example.com")))
    assert "tully architects" not in organization_names(parse_conversation(plain, models))


def test_a_made_up_name_that_opens_a_sentence_as_its_subject(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Lucia", "The drivers, Petromax only has two fuel drivers on before seven."),
            ("Owen", "Ugh, I know, they're notorious."),
            ("Lucia", "Marcus said he'd cover the early gate."),
            ("Owen", "Fine, let's leave it there."),
        ],
    )
    names = organization_names(conversation)
    assert "petromax" in names
    assert not {"marcus", "ugh"} & set(names)  # a first name; a word said on its own
