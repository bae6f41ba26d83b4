"""A firm named after a member who writes from its domain, and a made-up name that is the subject at a
sentence's start (the eighth round's second change, from `test7` to `dev` errors)."""

from __future__ import annotations

from dataclasses import replace

from convoscope.pipeline.insights.organizations import organization_names
from convoscope.pipeline.insights.parsed import parse_conversation
from convoscope.pipeline.nlp import LanguageModels
from convoscope.pipeline.types import Speaker
from tests.fixtures.insights import parsed, transcript_of


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
