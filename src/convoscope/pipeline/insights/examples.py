"""Labelled example sentences: the embedding half of the question and action-item classifiers.

A sentence's affinity to a kind is how much closer it sits (MiniLM cosine, mean of the nearest few)
to the positive examples than to the hard negatives. The rules on the parse decide what is a
candidate; the affinity moves the score and rejects candidates that read like the negatives.
These sentences are written for this purpose and are independent of the evaluation set in bench/.
"""

from __future__ import annotations

import threading

import numpy as np

from convoscope.pipeline.nlp import LanguageModels

QUESTIONS = (
    "What is the timeline for the rollout?",
    "How many users are on the current plan?",
    "When does the contract expire",
    "Who owns the billing integration?",
    "Which option did the client prefer?",
    "Is there a discount for annual payment?",
    "Do you have a budget approved for this quarter?",
    "Can you tell me more about your current setup?",
    "Could you explain how the export works?",
    "Are you using the cloud version or on premise",
    "Have you tried restarting the router",
    "Where do we store the backups?",
    "Why did the build fail last night?",
    "Does the price include onboarding?",
    "How long does the migration usually take",
    "What would you need from us to move forward?",
    "I was wondering whether the API supports webhooks",
    "Do you know if legal has reviewed the terms?",
    "What happens if a payment fails?",
    "Is anyone blocked on the release?",
)

NOT_QUESTIONS = (
    "It's a great product, right?",
    "That went well, didn't it?",
    "We were pretty busy last week, you know?",
    "Who doesn't love a free lunch?",
    "How cool is that?",
    "Why not?",
    "What can I say, it works.",
    "Who knows what they will decide.",
    "Guess what, we closed the deal.",
    "Isn't that amazing?",
    "Can you believe it?",
    "I have a question about the invoice.",
    "Let me know if you have any questions.",
    "What we need is more time.",
    "How we handle it is up to the team.",
    "The question is whether we can afford it.",
    "Can you send me the slides after the call?",
    "Could you update the ticket with the logs?",
    "Why don't we meet again on Thursday?",
    "You know what I mean.",
)

ACTIONS = (
    "I will send you the proposal by Friday.",
    "I'll follow up with the vendor tomorrow.",
    "We need to finalize the budget before the board meeting.",
    "Can you update the roadmap and share it with the team?",
    "Please review the contract and send me your comments.",
    "Sarah will prepare the onboarding guide next week.",
    "Let's schedule a demo for your team on Monday.",
    "I'm going to look into the error logs this afternoon.",
    "You should reach out to their procurement team.",
    "Could you set up a call with the engineering lead?",
    "We have to fix the login bug before the release.",
    "I'll take care of the invoice.",
    "Make sure the tests pass before you merge.",
    "Mark needs to file the expense report by the end of the month.",
    "Let me check with my manager and get back to you.",
    "I can draft the announcement tonight.",
    "Someone needs to update the documentation.",
    "Send the signed copy to legal.",
    "We should book the venue this week.",
    "I'll email you the recording after the meeting.",
)

NOT_ACTIONS = (
    "I sent the proposal last Friday.",
    "We already finalized the budget.",
    "She called the customer yesterday.",
    "If we had more people, we would rebuild the whole thing.",
    "It will probably rain tomorrow.",
    "The market will grow next year.",
    "I think the release will slip a little.",
    "Let me know if you have any questions.",
    "Thanks for your time today.",
    "Have a great weekend.",
    "Feel free to reach out anytime.",
    "Talk soon.",
    "I'll be honest with you, it was hard.",
    "Let me give you an example.",
    "We could maybe try another vendor at some point.",
    "It would be nice to have more storage.",
    "I was going to call them but I forgot.",
    "The update will take about ten minutes.",
    "That sounds good to me.",
    "You will love the new dashboard.",
)

FOLLOW_UPS = (
    "I'll send you an email with the details.",
    "Let's schedule a call next week to go over the numbers.",
    "I will get back to you by Thursday.",
    "Can you set up a meeting with their CTO?",
    "I'll check in with you on Monday.",
    "We should follow up with the customer after the launch.",
    "I'll call the supplier tomorrow morning.",
    "Please forward me the invoice.",
    "Let's touch base after your trip.",
    "I'll reach out to their team and loop you in.",
)

NOT_FOLLOW_UPS = (
    "I'll fix the failing test today.",
    "We need to update the pricing page.",
    "Please review the pull request.",
    "I'll write the migration script.",
    "You need to clean up the old data.",
    "We have to finalize the design by Friday.",
    "I'll prepare the slides for the board.",
    "Make sure the backups are encrypted.",
    "Mark will order the new laptops.",
    "Let's refactor the billing module next sprint.",
)

_PROTOTYPE_SETS = {
    "question": QUESTIONS,
    "not_question": NOT_QUESTIONS,
    "action": ACTIONS,
    "not_action": NOT_ACTIONS,
    "follow_up": FOLLOW_UPS,
    "not_follow_up": NOT_FOLLOW_UPS,
}

_cache: dict[int, dict[str, np.ndarray]] = {}
_cache_lock = threading.Lock()


def _prototype_vectors(models: LanguageModels) -> dict[str, np.ndarray]:
    with _cache_lock:
        vectors = _cache.get(id(models))
        if vectors is None:
            vectors = {kind: models.embed(texts) for kind, texts in _PROTOTYPE_SETS.items()}
            _cache[id(models)] = vectors
        return vectors


def affinity(models: LanguageModels, vector: np.ndarray, positive: str, negative: str, k: int = 3) -> float:
    """Mean cosine to the k nearest positive examples minus the same for the negatives (about -0.5..0.5)."""
    prototypes = _prototype_vectors(models)

    def nearest_mean(kind: str) -> float:
        similarities = np.sort(prototypes[kind] @ vector)[::-1]
        return float(similarities[:k].mean())

    return nearest_mean(positive) - nearest_mean(negative)
