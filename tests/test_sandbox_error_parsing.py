"""The client's reading of the sandbox's error bodies (localcx/google/errors.py): ErrorInfo
reasons and field masks named in one readable line, HTML pages cut to a short message, and
the quota ErrorInfo still deciding retries."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from localcx.google.errors import GoogleError
from localcx.sandbox import Limits, SandboxState, make_app

AUTH = {"Authorization": "Bearer t"}


@pytest.fixture
def client(tmp_path: Path) -> httpx.Client:
    app = make_app(SandboxState.open(tmp_path / "sandbox.db"), limits=Limits(unapproved=False))
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s", headers=AUTH)


def _us_store(client: httpx.Client) -> str:
    listed = client.get("/v1/accounts/-/locations",
                        params={"readMask": "name,storefrontAddress", "pageSize": 100}).json()
    return next(loc["name"] for loc in listed["locations"]
                if loc["storefrontAddress"]["regionCode"] == "US")


def test_rule_error_names_field_and_reason(client: httpx.Client) -> None:
    resp = client.patch(f"/v1/{_us_store(client)}", params={"updateMask": "phoneNumbers"},
                        json={"phoneNumbers": {"primaryPhone": "+81 3-1234-5678"}})
    error = GoogleError.parse(resp.status_code, resp.content)
    assert error.field_reasons == [("phoneNumbers.primaryPhone",
                                    "INVALID_PHONE_NUMBER_FOR_REGION")]
    assert error.reason == "INVALID_PHONE_NUMBER_FOR_REGION"
    assert error.legacy_reasons == ["badRequest"]
    assert error.describe() == (
        "400 INVALID_ARGUMENT: phoneNumbers.primaryPhone: INVALID_PHONE_NUMBER_FOR_REGION "
        "(The phone number is not valid for region US.)")


def test_several_rule_errors_in_one_line(client: httpx.Client) -> None:
    resp = client.patch(f"/v1/{_us_store(client)}",
                        params={"updateMask": "websiteUri,profile.description"},
                        json={"websiteUri": "ftp://x", "profile": {"description": "d" * 800}})
    text = GoogleError.parse(resp.status_code, resp.content).describe()
    assert text.startswith("400 INVALID_ARGUMENT: ")
    assert "websiteUri: INVALID_URL (Invalid website URI" in text
    assert "profile.description: STRING_TOO_LONG (Description must be at most 750" in text
    assert "\n" not in text


def test_error_info_without_a_matching_violation_uses_the_message() -> None:
    body = (b'{"error": {"code": 400, "message": "Bad hours.", "status": "INVALID_ARGUMENT",'
            b' "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",'
            b' "reason": "INVALID_TIME_SCHEDULE", "domain": "x",'
            b' "metadata": {"field_mask": "regularHours"}}]}}')
    assert GoogleError.parse(400, body).describe() == (
        "400 INVALID_ARGUMENT: regularHours: INVALID_TIME_SCHEDULE (Bad hours.)")


def test_html_404_is_a_short_readable_message(client: httpx.Client) -> None:
    resp = client.get("/v1/nowhere/at/all")
    error = GoogleError.parse(resp.status_code, resp.content)
    assert "<" not in error.message and len(error.message) <= 160
    assert "/v1/nowhere/at/all was not found" in error.message
    assert error.describe().startswith("404: ")


def test_html_page_with_only_a_title_or_too_much_text() -> None:
    title_only = b"<html><head><title>502 Bad Gateway</title></head><body></body></html>"
    assert GoogleError.parse(502, title_only).message == "502 Bad Gateway"
    long_page = b"<html><body><p>" + b"word " * 500 + b"</p></body></html>"
    message = GoogleError.parse(503, long_page).message
    assert len(message) <= 160 and message.endswith("…") and "<" not in message
    assert GoogleError.parse(500, b"").message == "HTTP 500"
    assert GoogleError.parse(500, b"[" * 100_000).message.startswith("[[[")


def test_quota_error_info_still_parsed(tmp_path: Path) -> None:
    app = make_app(SandboxState.open(tmp_path / "q.db"), limits=Limits(unapproved=True))
    client = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s",
                          headers=AUTH)
    resp = client.get("/v1/accounts")
    error = GoogleError.parse(resp.status_code, resp.content)
    assert error.reason == "RATE_LIMIT_EXCEEDED" and error.quota_limit_value == "0"
    assert error.not_approved and error.field_reasons == []
