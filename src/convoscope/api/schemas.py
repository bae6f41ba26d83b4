"""Wire shapes (Symbl's field names) for the OpenAPI schema and response validation.

Requests are parsed leniently by hand (`api.params`, `options`), so request models here document
the shape rather than enforce it; responses are checked against these models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from convoscope.options import SUPPORTED_LANGUAGES


class Wire(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TokenRequest(Wire):
    type: Literal["application", "password"] = "application"
    appId: str
    appSecret: str


class TokenResponse(Wire):
    accessToken: str
    expiresIn: int
    refreshToken: str | None = None


class TokenRefreshRequest(Wire):
    appId: str
    appSecret: str
    refreshToken: str


# What the request models accept is what the hand-written parsers accept (`options`, `text_input`);
# the fuzzer's "positive" cases are drawn from here, so the closer the match, the more of them
# reach the success paths.
HTTP_URL = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!-~]*)?$"


class TrackerIn(Wire):
    name: str = Field(min_length=1, max_length=200, pattern=r"\S")
    vocabulary: list[str] = Field(min_length=1)


class EntityIn(Wire):
    customType: str | None = Field(default=None, max_length=200)
    text: str = Field(min_length=1, max_length=500, pattern=r"\S")
    value: str | None = Field(default=None, max_length=500)


class MessageText(Wire):
    content: str = Field(min_length=1, max_length=100_000, pattern=r"\S")
    contentType: str | None = "text/plain"


class MessageSender(Wire):
    name: str | None = Field(default=None, max_length=320)
    userId: str | None = Field(default=None, max_length=320)


class MessageDuration(Wire):
    startTime: str | None = None
    endTime: str | None = None


class TextMessageIn(Wire):
    payload: MessageText
    from_: MessageSender | None = Field(default=None, alias="from")
    duration: MessageDuration | None = None


class TextRequest(Wire):
    """POST/PUT /v1/process/text body (§3.4); every §3.2 option may also come in the query string."""

    messages: list[TextMessageIn] = Field(min_length=1)
    name: str | None = Field(default=None, max_length=500)
    confidenceThreshold: float | None = Field(default=None, ge=0, le=1)
    detectPhrases: bool | None = None
    detectEntities: bool | None = None
    entities: list[EntityIn] | None = None
    trackers: list[TrackerIn] | None = None
    enableSummary: bool | None = None
    webhookUrl: str | None = Field(default=None, max_length=2000, pattern=HTTP_URL)


class SubmitResponse(Wire):
    conversationId: str
    jobId: str


class JobResponse(Wire):
    id: str
    status: Literal["scheduled", "in_progress", "completed", "failed"]
    message: str | None = None


class MessageResponse(Wire):
    message: str


class MemberOut(Wire):
    id: str
    name: str
    email: str | None = None


class ConversationOut(Wire):
    id: str
    type: str
    name: str
    startTime: str
    endTime: str | None = None
    members: list[MemberOut]
    metadata: dict[str, Any]


class ConversationList(Wire):
    conversations: list[ConversationOut]


class ConversationUpdate(Wire):
    metadata: dict[str, str]


class Sender(Wire):
    id: str | None = None
    name: str | None = None
    email: str | None = None
    userId: str | None = None


class WordOut(Wire):
    word: str
    startTime: str | None = None
    endTime: str | None = None
    score: float | None = None
    timeOffset: float | None = None
    duration: float | None = None


class MessageOut(Wire):
    id: str
    text: str
    from_: Sender = Field(alias="from")
    startTime: str | None = None
    endTime: str | None = None
    timeOffset: float | None = None
    duration: float | None = None
    conversationId: str
    phrases: list[dict[str, Any]]
    sentiment: dict[str, Any] | None = None
    words: list[WordOut] | None = None


class MessageList(Wire):
    messages: list[MessageOut]


class MemberList(Wire):
    members: list[MemberOut]


class MemberUpdate(Wire):
    id: str
    name: str
    email: str | None = None


class SpeakerOffset(Wire):
    seconds: float = 0
    nanos: float = 0


class SpeakerEvent(Wire):
    type: Literal["started_speaking", "stopped_speaking"]
    user: dict[str, Any]
    offset: SpeakerOffset


class SpeakerEvents(Wire):
    speakerEvents: list[SpeakerEvent]


class UrlRequest(Wire):
    """POST/PUT /v1/process/{audio,video}/url body; every §3.2 option may also come in the query string."""

    url: str = Field(max_length=2000, pattern=HTTP_URL)
    name: str | None = Field(default=None, max_length=500)
    webhookUrl: str | None = Field(default=None, max_length=2000, pattern=HTTP_URL)
    customVocabulary: list[str] | None = None
    languageCode: str | None = Field(default=None, json_schema_extra={"enum": list(SUPPORTED_LANGUAGES)})
    enableSpeakerDiarization: bool | None = None
    diarizationSpeakerCount: int | None = Field(default=None, ge=1, le=100)
    enableSeparateRecognitionPerChannel: bool | None = None
    channelMetadata: list[dict[str, Any]] | None = None
    mode: Literal["default", "phone"] | None = None


class TranscriptPhrases(Wire):
    highlightOnlyInsightKeyPhrases: bool | None = None
    highlightAllKeyPhrases: bool | None = None


class TranscriptRequest(Wire):
    contentType: Literal["text/markdown", "text/srt", "text/vtt"] = "text/markdown"
    createParagraphs: bool | None = None
    showSpeakerSeparation: bool | None = None
    phrases: TranscriptPhrases | None = None
    nestedPayload: bool | None = Field(
        default=None, description="Extension: SRT/VTT payload as {content, contentType}."
    )


class TranscriptBody(Wire):
    payload: str | dict[str, str]
    contentType: str


class TranscriptResponse(Wire):
    transcript: TranscriptBody


# Insights (§5.9-5.17, §5.19). Exact shapes: no undocumented field passes response validation.


class Exact(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class PersonRef(Exact):
    """An insight's `from` / `assignee`: the member now speaking it; `{}` when nobody is known."""

    id: str | None = None
    name: str | None = None
    userId: str | None = None
    email: str | None = None


class Phrase(Exact):
    type: Literal["action_phrase"]
    text: str


class NamedPerson(Exact):
    name: str
    assignee: bool


class ItemEntity(Exact):
    """An entity inside an action item or follow-up; `value` is a date, or the person named."""

    type: str
    text: str
    offset: int
    value: str | NamedPerson | None = None


class MessageIdRef(Exact):
    id: str


class InsightItem(Exact):
    """A question, action item or follow-up."""

    id: str
    text: str
    type: Literal["question", "action_item", "follow_up"]
    score: float = Field(ge=0, le=1)
    messageIds: list[str] | None = None
    messageRefs: list[MessageIdRef] | None = Field(default=None, description="Comprehensive items only.")
    entities: list[ItemEntity] | None = None
    phrases: list[Phrase] | None = None
    from_: PersonRef | None = Field(default=None, alias="from")
    definitive: bool | None = None
    assignee: PersonRef | None = None
    dueBy: str | None = None


class QuestionList(Exact):
    questions: list[InsightItem]


class ActionItemList(Exact):
    actionItems: list[InsightItem]


class FollowUpList(Exact):
    followUps: list[InsightItem]


class InsightList(Exact):
    insights: list[InsightItem]


class Polarity(Exact):
    score: float


class Sentiment(Exact):
    polarity: Polarity
    suggested: Literal["positive", "neutral", "negative"]


class ParentRef(Exact):
    type: Literal["topic"]
    text: str


class TopicOut(Exact):
    id: str
    text: str
    type: Literal["topic"]
    score: float = Field(ge=0, le=1)
    messageIds: list[str]
    sentiment: Sentiment | None = Field(default=None, description="With `?sentiment=true`.")
    parentRefs: list[ParentRef] | None = Field(default=None, description="With `?parentRefs=true`.")


class TopicList(Exact):
    topics: list[TopicOut]


class AbstractTopicOut(Exact):
    id: str
    text: str
    type: Literal["abstract_topic"]
    score: float = Field(ge=0, le=1)
    messageIds: list[str]


class AbstractTopicList(Exact):
    abstractTopics: list[AbstractTopicOut]


class MessageRef(Exact):
    id: str
    text: str
    offset: int


class EntityOut(Exact):
    type: str
    customType: str | None = Field(default=None, description="For `custom` entities.")
    value: str
    text: str
    messageRefs: list[MessageRef]


class EntityList(Exact):
    entities: list[EntityOut]


class InsightRef(Exact):
    id: str
    text: str
    offset: int
    type: str


class TrackerMatch(Exact):
    type: str
    value: str
    messageRefs: list[MessageRef]
    insightRefs: list[InsightRef]


class TrackerOut(Exact):
    id: str
    name: str
    matches: list[TrackerMatch]


class Metric(Exact):
    type: Literal["total_silence", "total_talk_time", "total_overlap"]
    percent: float
    seconds: float


class Pace(Exact):
    wpm: int


class TimeShare(Exact):
    percentage: float
    seconds: float


class OverlappingMember(Exact):
    id: str | None = None
    name: str | None = None
    userId: str | None = None
    percent: float
    seconds: float


class Overlap(Exact):
    overlapDuration: float
    overlappingMembers: list[OverlappingMember]


class MemberAnalytics(Exact):
    id: str | None = None
    name: str | None = None
    userId: str | None = None
    pace: Pace
    talkTime: TimeShare
    listenTime: TimeShare
    overlap: Overlap


class Analytics(Exact):
    metrics: list[Metric]
    members: list[MemberAnalytics]


class SummaryItem(Exact):
    id: str
    text: str
    messageRefs: list[MessageIdRef]


class SummaryOut(Exact):
    summary: list[SummaryItem]
