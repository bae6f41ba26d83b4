from __future__ import annotations

import pytest

from convoscope.pipeline.insights.questions import detect_questions
from convoscope.pipeline.insights.refs import Person
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import read

GENUINE = [
    "What time does the warehouse open on weekends?",
    "How many licences do you need",  # no question mark, as speech-to-text often gives
    "Is there a limit on the number of projects?",
    "Do you already have a contract with another provider",
    "Could you explain how the refund works?",
    "I was wondering whether the trial can be extended.",
    "So, Maria, which plan are you on at the moment?",
    "On the budget side, how much did we spend last quarter?",
    "So the price stays the same next year?",
]
NOT_QUESTIONS = [
    "The demo went really well, didn't it?",  # tag question
    "That's a fair price, right?",
    "It was a long week, you know?",
    "Who doesn't love a good discount?",  # rhetorical
    "How cool is that?",
    "Why not?",
    "Can you send me the invoice by Friday?",  # a request for action: an action item
    "Why don't we meet again next week?",  # a suggestion
    "I have a question about the contract.",
    "What we need is a bigger team.",
    "Have a good weekend, everyone.",
]


def _question_texts(models: LanguageModels, sentences: list[str]) -> set[str]:
    conversation, utterances = read(models, [("Ana", s) for s in sentences])
    return {q.text for q in detect_questions(conversation, utterances)}


def test_genuine_questions_are_found(models: LanguageModels) -> None:
    assert _question_texts(models, GENUINE) == set(GENUINE)


@pytest.mark.parametrize("sentence", NOT_QUESTIONS)
def test_tag_rhetorical_and_requests_are_not_questions(models: LanguageModels, sentence: str) -> None:
    assert _question_texts(models, [sentence]) == set()


def test_question_shape_and_scores(models: LanguageModels) -> None:
    conversation, utterances = read(
        models,
        [
            ("Ana", "What is the renewal date for our contract?"),
            ("Ana", "So the price stays the same next year?"),
        ],
    )
    clear, declarative = detect_questions(conversation, utterances)
    assert clear.message_ids == (conversation.messages[0].id,)
    assert clear.speaker == Person("Ana", member_id="id-ana", email="ana@example.com")
    assert len(clear.id) == 16 and clear.id.isdigit()
    # The wording of a real question makes the engine more certain than a rising declarative.
    assert 0 < declarative.score < clear.score <= 1
