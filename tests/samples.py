"""Sample conversations shared by several test modules."""

from __future__ import annotations

from typing import Any

# A short sales call with a question, a commitment with a due date, a follow-up request and a
# tracker phrase said exactly.
SALES_CALL: dict[str, Any] = {
    "name": "Sales call",
    "detectPhrases": True,
    "trackers": [{"name": "Pricing", "vocabulary": ["per seat", "how much does it cost"]}],
    "messages": [
        {
            "payload": {
                "content": "Hi Vikram, thanks for joining. How much does the enterprise plan cost per seat?"
            },
            "from": {"name": "Lucy", "userId": "lucy@example.com"},
            "duration": {"startTime": "2020-07-10T11:00:00Z", "endTime": "2020-07-10T11:00:08Z"},
        },
        {
            "payload": {
                "content": "It is forty dollars per seat. I will send you the quotation by email tomorrow."
            },
            "from": {"name": "Vikram", "userId": "vikram@example.com"},
            "duration": {"startTime": "2020-07-10T11:00:09Z", "endTime": "2020-07-10T11:00:16Z"},
        },
        {
            "payload": {"content": "Great. Can you schedule a call with our finance team next week?"},
            "from": {"name": "Lucy", "userId": "lucy@example.com"},
            "duration": {"startTime": "2020-07-10T11:00:17Z", "endTime": "2020-07-10T11:00:22Z"},
        },
    ],
}
