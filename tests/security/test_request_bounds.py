"""Request fields that had no bound: the search words, the number of metadata keys, a member id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import text_body


def test_search_words_are_bounded(client: TestClient, auth: dict[str, str]) -> None:
    response = client.get("/v1/search", params={"q": "word " * 100}, headers=auth)
    assert response.status_code == 400
    assert response.json() == {"message": '"q" must be at most 200 characters long'}
    assert client.get("/v1/search", params={"q": "word " * 10}, headers=auth).status_code == 200


def test_metadata_keys_are_bounded_in_one_request_and_in_all(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    cid = submit_text(text_body("Hello there."))["conversationId"]
    url = f"/v1/conversations/{cid}"
    too_many = {"metadata": {f"k{i}": "v" for i in range(101)}}
    assert client.put(url, json=too_many, headers=auth).status_code == 400
    first = {"metadata": {f"a{i}": "v" for i in range(60)}}
    assert client.put(url, json=first, headers=auth).status_code == 200
    second = {"metadata": {f"b{i}": "v" for i in range(60)}}
    response = client.put(url, json=second, headers=auth)
    assert response.status_code == 400 and "at most 100 keys" in response.json()["message"]
    assert client.get(url, headers=auth).json()["metadata"] == first["metadata"]


def test_a_member_id_is_bounded(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    cid = submit_text(text_body("Hello there."))["conversationId"]
    response = client.put(
        f"/v1/conversations/{cid}/members/x", json={"id": "x" * 65, "name": "A"}, headers=auth
    )
    assert response.status_code == 400
    assert response.json() == {"message": '"id" must be at most 64 characters long'}
