"""Load a stored conversation as the pipeline's `Transcript`, and export it as a formatted document."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from convoscope.conversations.queries import insights_of
from convoscope.conversations.timeline import has_media
from convoscope.pipeline.export import to_markdown, to_srt, to_vtt
from convoscope.pipeline.insights.result import InsightResult
from convoscope.pipeline.types import Speaker, SpeechOverlap, Transcript, TranscriptMessage, Word
from convoscope.tables import Conversation, Member, Message, Overlap
from convoscope.timeutil import as_utc


def load_transcript(session: Session, conversation: Conversation) -> Transcript:
    members = session.scalars(
        select(Member).where(Member.conversation_id == conversation.id).order_by(Member.position)
    ).all()
    speakers = {m.id: Speaker(id=m.id, name=m.name, email=m.email or m.user_id) for m in members}
    rows = session.scalars(
        select(Message).where(Message.conversation_id == conversation.id).order_by(Message.position)
    ).all()
    messages = tuple(
        TranscriptMessage(
            id=row.id,
            text=row.text,
            speaker=speakers.get(row.member_id) if row.member_id else None,
            start_time=as_utc(row.start_time) if row.start_time else None,
            end_time=as_utc(row.end_time) if row.end_time else None,
            words=tuple(_word(w) for w in row.words or ()),
        )
        for row in rows
    )
    media = has_media(conversation)
    overlaps = session.scalars(
        select(Overlap).where(Overlap.conversation_id == conversation.id).order_by(Overlap.start_seconds)
    ).all()
    return Transcript(
        conversation_id=conversation.id,
        messages=messages,
        reference_time=as_utc(conversation.start_time),
        language=conversation.language,
        members=tuple(speakers.values()),
        timeline_start=as_utc(conversation.start_time) if media else None,
        media_seconds=float(conversation.media_seconds or 0.0) if media else 0.0,
        overlaps=tuple(
            SpeechOverlap(o.start_seconds, o.end_seconds, speakers[o.member_id], speakers[o.other_member_id])
            for o in overlaps
            if media and o.member_id in speakers and o.other_member_id in speakers
        ),
    )


def _word(stored: dict[str, Any]) -> Word:
    """Stored words carry seconds from the conversation's media start in `start`/`end`."""
    score = stored.get("score")
    return Word(
        text=str(stored["word"]),
        start=float(stored.get("start") or 0.0),
        end=float(stored.get("end") or 0.0),
        probability=float(score) if score is not None else None,
    )


def export_transcript(
    session: Session,
    conversation: Conversation,
    *,
    content_type: str,
    speaker_separation: bool,
    paragraphs: bool,
    insight_phrases: bool,
    all_phrases: bool,
) -> str:
    """The conversation as `text/markdown`, `text/srt` or `text/vtt`. Markdown may mark key phrases:
    those of action items and follow-ups, and with `all_phrases` the topics and message phrases too."""
    transcript = load_transcript(session, conversation)
    if content_type == "text/srt":
        return to_srt(transcript, show_speaker_separation=speaker_separation)
    if content_type == "text/vtt":
        return to_vtt(transcript, show_speaker_separation=speaker_separation)
    phrases: list[str] = []
    if insight_phrases or all_phrases:
        phrases = _key_phrases(insights_of(session, conversation.id), all_phrases)
    return to_markdown(
        transcript,
        create_paragraphs=paragraphs,
        show_speaker_separation=speaker_separation,
        highlight_phrases=phrases,
    )


def _key_phrases(insights: InsightResult, all_phrases: bool) -> list[str]:
    phrases = [phrase for item in (*insights.action_items, *insights.follow_ups) for phrase in item.phrases]
    if all_phrases:
        phrases += [topic.text for topic in insights.topics]
        phrases += [phrase for message in insights.message_phrases for phrase in message.phrases]
    return phrases
