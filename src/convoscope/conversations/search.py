"""Search an app's conversations by name and by the words spoken in them (the UI's search box).

Every word of the query must appear, each either in the conversation's name or in one of its
messages; matching is case-insensitive substring matching in portable SQL (LIKE on lower()), so it
runs the same on SQLite and PostgreSQL. Newest conversations come first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from convoscope.tables import TRANSIENT_CONVERSATION, Conversation, Message

SNIPPET_CONTEXT = 60  # characters kept on each side of the first match
MAX_WORDS = 8


@dataclass(frozen=True)
class SearchHit:
    conversation: Conversation
    snippet: str | None  # text around the first spoken match; None when only the name matched


def query_words(query: str) -> list[str]:
    """The distinct lower-cased words of a query, at most `MAX_WORDS`."""
    words = [w for w in re.split(r"\s+", query.strip().lower()) if w]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: InstrumentedAttribute[str], word: str) -> ColumnElement[bool]:
    return func.lower(column).like(_like(word), escape="\\")


def _word_matches(word: str) -> ColumnElement[bool]:
    spoken = exists().where(Message.conversation_id == Conversation.id, _contains(Message.text, word))
    return or_(_contains(Conversation.name, word), spoken)


def search_conversations(
    session: Session, app_id: str, query: str, *, limit: int, offset: int
) -> tuple[list[SearchHit], int]:
    """One page of matching conversations (newest first) and the total number of matches."""
    words = query_words(query)
    condition = and_(
        Conversation.app_id == app_id,
        Conversation.type != TRANSIENT_CONVERSATION,
        *(_word_matches(w) for w in words),
    )
    total = session.scalar(select(func.count()).select_from(Conversation).where(condition)) or 0
    rows = session.scalars(
        select(Conversation)
        .where(condition)
        .order_by(Conversation.start_time.desc(), Conversation.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return [SearchHit(c, _snippet(session, c.id, words)) for c in rows], int(total)


def _snippet(session: Session, conversation_id: str, words: list[str]) -> str | None:
    if not words:
        return None
    text = session.scalar(
        select(Message.text)
        .where(Message.conversation_id == conversation_id, or_(*(_contains(Message.text, w) for w in words)))
        .order_by(Message.position)
        .limit(1)
    )
    return excerpt(text, words) if text else None


def excerpt(text: str, words: list[str], context: int = SNIPPET_CONTEXT) -> str:
    """The part of `text` around the first of `words` it contains, with `…` where it was cut."""
    lowered = text.lower()
    found = [i for i in (lowered.find(w) for w in words) if i >= 0]
    at = min(found) if found else 0
    start, end = max(0, at - context), min(len(text), at + context)
    return f"{'…' if start > 0 else ''}{text[start:end].strip()}{'…' if end < len(text) else ''}"
