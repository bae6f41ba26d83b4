"""POST /v1/conversations/{id}/transcript: the transcript as Markdown or SubRip (SRT), as Symbl formats
them, or (an extension) WebVTT."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from convoscope.api.deps import AppId, ServicesDep
from convoscope.api.params import read_json_object
from convoscope.api.schemas.conversations import TranscriptRequest, TranscriptResponse
from convoscope.conversations import queries
from convoscope.conversations.transcript import load_transcript
from convoscope.errors import BadRequest
from convoscope.options import to_bool
from convoscope.pipeline.export import to_markdown, to_srt, to_vtt
from convoscope.pipeline.insights.result import InsightResult

router = APIRouter(prefix="/v1/conversations/{conversationId}", tags=["conversations"])

FORMATS = ("text/markdown", "text/srt", "text/vtt")


@router.post(
    "/transcript",
    response_model=TranscriptResponse,
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": TranscriptRequest.model_json_schema()}}}
    },
)
async def export_transcript(
    conversationId: str, request: Request, app_id: AppId, services: ServicesDep
) -> dict[str, Any]:
    body = await read_json_object(request, services.settings.max_body_bytes, required=False)
    content_type = body.get("contentType", "text/markdown")
    if content_type not in FORMATS:
        raise BadRequest(f'"contentType" must be one of [{", ".join(FORMATS)}]')
    separate = to_bool(
        "showSpeakerSeparation", body.get("showSpeakerSeparation", content_type == "text/markdown")
    )
    paragraphs = to_bool("createParagraphs", body.get("createParagraphs", True))
    phrase_options = body.get("phrases") or {}
    if not isinstance(phrase_options, dict):
        raise BadRequest('"phrases" must be an object')
    highlight_insights = to_bool(
        "highlightOnlyInsightKeyPhrases", phrase_options.get("highlightOnlyInsightKeyPhrases", False)
    )
    highlight_all = to_bool("highlightAllKeyPhrases", phrase_options.get("highlightAllKeyPhrases", False))
    # The documented SRT answer nests the text in {content, contentType}; most clients read a string.
    nested = to_bool("nestedPayload", body.get("nestedPayload", False))

    def render() -> str:
        with services.db.session() as session:
            conversation = queries.own_conversation(session, app_id, conversationId)
            transcript = load_transcript(session, conversation)
            if content_type == "text/srt":
                return to_srt(transcript, show_speaker_separation=separate)
            if content_type == "text/vtt":
                return to_vtt(transcript, show_speaker_separation=separate)
            phrases = _key_phrases(
                queries.insights_of(session, conversation.id), highlight_insights, highlight_all
            )
            return to_markdown(
                transcript,
                create_paragraphs=paragraphs,
                show_speaker_separation=separate,
                highlight_phrases=phrases,
            )

    text = await run_in_threadpool(render)
    payload: Any = {"content": text, "contentType": content_type} if nested else text
    return {"transcript": {"payload": payload, "contentType": content_type}}


def _key_phrases(insights: InsightResult, insight_phrases: bool, all_phrases: bool) -> list[str]:
    """Phrases to mark: those of action items and follow-ups, and with `all` the topics and every
    message's phrases too."""
    if not (insight_phrases or all_phrases):
        return []
    phrases = [phrase for item in (*insights.action_items, *insights.follow_ups) for phrase in item.phrases]
    if all_phrases:
        phrases += [topic.text for topic in insights.topics]
        phrases += [phrase for message in insights.message_phrases for phrase in message.phrases]
    return phrases
