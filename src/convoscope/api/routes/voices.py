"""The voice library (an extension): named voices per app that diarized jobs recognise.

    POST   /v1/voices              {"conversationId", "memberId", "name"?}  from a processed member
    POST   /v1/voices/audio?name=  raw audio body                           from a sample recording
    GET    /v1/voices                                                       list
    PATCH  /v1/voices/{voiceId}    {"name"?, "email"?, "userId"?}           rename
    DELETE /v1/voices/{voiceId}                                             delete (voiceprint too)

Voiceprints never leave the server: no answer here carries one. Another app's voice answers 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from convoscope.api.deps import AppId, ServicesDep
from convoscope.api.schemas.voices import VoiceFromMember, VoiceList, VoiceOut, VoiceSampleParams, VoiceUpdate
from convoscope.conversations import voices
from convoscope.errors import BadRequest, PayloadTooLarge
from convoscope.pipeline import decode
from convoscope.pipeline.diarize.enroll import SampleError, sample_voiceprints
from convoscope.services import Services

router = APIRouter(prefix="/v1/voices", tags=["extensions"])

SAMPLE_BYTES = 20 * 2**20
SAMPLE_SECONDS = 120.0  # a sample is one person speaking for a while, not a meeting


@router.get("", response_model=VoiceList)
def list_voices(app_id: AppId, services: ServicesDep) -> VoiceList:
    with services.db.session() as session:
        return VoiceList(voices=[VoiceOut.of(v) for v in voices.list_voices(session, app_id)])


@router.post("", response_model=VoiceOut, status_code=201)
def create_from_member(body: VoiceFromMember, app_id: AppId, services: ServicesDep) -> VoiceOut:
    person = voices.Person(body.name, body.email, body.userId) if body.name else None
    with services.db.session() as session:
        voice = voices.enroll_member(session, app_id, body.conversationId, body.memberId, person)
    return VoiceOut.of(voice)


@router.post("/audio", response_model=VoiceOut, status_code=201)
async def create_from_sample(
    request: Request, params: Annotated[VoiceSampleParams, Query()], app_id: AppId, services: ServicesDep
) -> VoiceOut:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > SAMPLE_BYTES:
        raise PayloadTooLarge(f"A voice sample may be at most {SAMPLE_BYTES} bytes.")
    key = await services.media.save_stream(request.stream(), SAMPLE_BYTES)
    try:
        return await run_in_threadpool(_enroll_sample, services, app_id, key, params)
    finally:
        services.media.delete(key)  # the sample itself is not kept


def _enroll_sample(services: Services, app_id: str, key: str, params: VoiceSampleParams) -> VoiceOut:
    try:
        audio = decode.decode(services.media.path(key), max_duration=SAMPLE_SECONDS)
        sample = sample_voiceprints(audio)
    except decode.MediaError as exc:
        raise BadRequest(f"The voice sample cannot be used: {exc}") from exc
    except SampleError as exc:
        raise BadRequest(str(exc)) from exc
    with services.db.session() as session:
        person = voices.Person(params.name, params.email, params.userId)
        voice = voices.enroll_sample(
            session, app_id, person, sample.voiceprint, sample.seconds, sample.phone_voiceprint
        )
    return VoiceOut.of(voice)


@router.get("/{voiceId}", response_model=VoiceOut)
def get_voice(voiceId: str, app_id: AppId, services: ServicesDep) -> VoiceOut:
    with services.db.session() as session:
        return VoiceOut.of(voices.get_voice(session, app_id, voiceId))


@router.patch("/{voiceId}", response_model=VoiceOut)
def update_voice(voiceId: str, body: VoiceUpdate, app_id: AppId, services: ServicesDep) -> VoiceOut:
    changes = {
        key: value
        for key, value in (("name", body.name), ("email", body.email), ("user_id", body.userId))
        if key in _given(body)
    }
    with services.db.session() as session:
        voice = voices.update_voice(session, app_id, voiceId, changes)
    return VoiceOut.of(voice)


def _given(body: VoiceUpdate) -> set[str]:
    names = {"name": "name", "email": "email", "userId": "user_id"}
    return {names[field] for field in body.model_fields_set if field in names}


@router.delete("/{voiceId}", status_code=204)
def delete_voice(voiceId: str, app_id: AppId, services: ServicesDep) -> Response:
    with services.db.session() as session:
        voices.delete_voice(session, app_id, voiceId)
    return Response(status_code=204)
