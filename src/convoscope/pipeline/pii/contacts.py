"""E-mail addresses and domain names, written ("ann.lee@example.com") or spoken ("ann dot lee at
example dot com")."""

from __future__ import annotations

import re

from convoscope.pipeline.pii.kinds import PiiKind, PiiSpan

TLDS = (
    "com|net|org|edu|gov|mil|int|io|ai|co|us|uk|ca|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|ie|pl|pt|in|au|nz|"
    "jp|cn|br|mx|info|biz|me|app|dev|tech|online|site|xyz|tv|ly|cloud|email|store|shop"
)
_DOT = r"(?:\.|\s+dot\s+)"
_PART = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_HOST = rf"{_PART}(?:{_DOT}{_PART}){{0,3}}{_DOT}(?:{TLDS})(?:{_DOT}(?:uk|au|nz|in|jp|br))?"
# A part of the name before the "@", or the same spelled letter by letter ("r o b e r t").
_SPELLED = r"(?:[a-z](?: [a-z]){2,40}|[a-z0-9][a-z0-9+_-]*)"
_LOCAL = rf"{_SPELLED}(?:(?:\.|\s+dot\s+|\s+underscore\s+|_|-){_SPELLED}){{0,3}}"
EMAIL = re.compile(rf"\b{_LOCAL}(?:\s*@\s*|\s+at\s+){_HOST}\b", re.IGNORECASE)
_SAID = re.compile(r"\s(?:at|dot)\s", re.IGNORECASE)
_MAIL_CUE = re.compile(r"\b(?:e-?mail|mail|address|reach)\b", re.IGNORECASE)
DOMAIN = re.compile(rf"\b(?:https?://)?(?:www{_DOT})?{_HOST}\b", re.IGNORECASE)


def _written(spoken: str) -> str:
    value = re.sub(r"\s+dot\s+", ".", spoken, flags=re.IGNORECASE)
    value = re.sub(r"\s+underscore\s+", "_", value, flags=re.IGNORECASE)
    value = re.sub(r"\s+at\s+", "@", value, flags=re.IGNORECASE)
    return re.sub(r"\s+", "", value).lower()


def emails(text: str) -> list[PiiSpan]:
    """E-mail addresses. One with a spoken "at" must look like an address throughout ("ann at example
    dot com", "ann.lee at example.com") or follow a word about mail: "the pricing page at example.com"
    names a site, not a mailbox."""
    found = []
    for match in EMAIL.finditer(text):
        address = match.group()
        if "@" not in address and not _looks_said(address, text[max(0, match.start() - 40) : match.start()]):
            continue
        found.append(PiiSpan(PiiKind.EMAIL, match.start(), match.end(), _written(address)))
    return found


def _looks_said(address: str, before: str) -> bool:
    local, _, host = re.split(r"\s+(at)\s+", address, maxsplit=1, flags=re.IGNORECASE)
    spoken_host = bool(_SAID.search(f" {host} "))
    marked_local = bool(re.search(r"[._\d]|\s(?:dot|underscore)\s", local, re.IGNORECASE))
    return spoken_host or marked_local or bool(_MAIL_CUE.search(before))


def domains(text: str) -> list[PiiSpan]:
    """Domain names (a URL's host too). Those inside an e-mail address lose to the address when finds
    overlap."""
    found = []
    for match in DOMAIN.finditer(text):
        value = re.sub(r"^https?://", "", _written(match.group()))
        found.append(PiiSpan(PiiKind.DOMAIN_NAME, match.start(), match.end(), value))
    return found
