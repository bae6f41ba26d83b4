"""POST /v1/conversations/{id}/transcript: Markdown, SRT and (extension) WebVTT exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from convoscope.api.deps import CallerConversation, ServicesDep
from convoscope.api.openapi import request_body
from convoscope.api.params import json_body
from convoscope.api.schemas.transcript import TranscriptRequest, TranscriptResponse
from convoscope.conversations.transcript import export_transcript

router = APIRouter(prefix="/v1/conversations/{conversationId}", tags=["conversations"])

TranscriptBody = Annotated[TranscriptRequest, json_body(TranscriptRequest, required=False)]


@router.post(
    "/transcript",
    response_model=TranscriptResponse,
    openapi_extra=request_body(TranscriptRequest, required=False),
)
def export(
    request: TranscriptBody, conversation: CallerConversation, services: ServicesDep
) -> TranscriptResponse:
    with services.db.session() as session:
        text = export_transcript(
            session,
            conversation,
            content_type=request.contentType,
            speaker_separation=request.speaker_separation,
            paragraphs=request.createParagraphs,
            insight_phrases=request.phrases.highlightOnlyInsightKeyPhrases,
            all_phrases=request.phrases.highlightAllKeyPhrases,
        )
    return TranscriptResponse.of(text, request)
