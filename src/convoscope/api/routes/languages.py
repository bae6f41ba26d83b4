"""GET /v1/languages (an extension): the `languageCode` values a media submit accepts."""

from __future__ import annotations

from fastapi import APIRouter

from convoscope.api.deps import AppId
from convoscope.api.schemas.submit import LanguageList
from convoscope.conversations.languages import LANGUAGE_CODES

router = APIRouter(tags=["extensions"])


@router.get("/v1/languages", response_model=LanguageList)
def languages(_app_id: AppId) -> LanguageList:
    """In Symbl's order, `en-US` (the default) first."""
    return LanguageList(languages=list(LANGUAGE_CODES))
