"""Identifier normalisation: the same document always has the same key."""

from __future__ import annotations

import pytest

from submissions.identifiers import identifier_key, normalise_isbn, text_fingerprint


@pytest.mark.parametrize(
    "variants, key",
    [
        (
            ["US 7,654,321 B2", "us7654321", "US-7654321-B1", " US 7654321 "],
            "patent:US7654321",
        ),
        (["EP 1 234 567 A1", "ep1234567"], "patent:EP1234567"),
        (["WO 2019/123456 A1", "WO2019123456"], "patent:WO2019123456"),
        (
            [
                "10.1000/XYZ.123",
                "doi:10.1000/xyz.123",
                "https://doi.org/10.1000/xyz.123",
                "http://dx.doi.org/10.1000/XYZ.123",
            ],
            "doi:10.1000/xyz.123",
        ),
        (
            ["ISBN 0-306-40615-2", "978-0-306-40615-7", "9780306406157", "0306406152"],
            "isbn:9780306406157",
        ),
        (
            [
                "https://www.example.com/a/?utm_source=x&b=2&a=1#frag",
                "http://example.com/a?a=1&b=2",
                "HTTPS://EXAMPLE.COM/a?b=2&a=1",
            ],
            "url:example.com/a?a=1&b=2",
        ),
    ],
)
def test_variants_of_one_document_share_a_key(variants, key):
    assert {identifier_key(v) for v in variants} == {key}


def test_url_field_is_the_fallback_key():
    assert identifier_key("", "https://example.org/paper/") == "url:example.org/paper"
    assert identifier_key("", "") == ""


def test_invalid_isbn_is_not_taken_for_an_isbn():
    assert normalise_isbn("0-306-40615-3") is None  # wrong check digit
    assert not identifier_key("0-306-40615-3").startswith("isbn:")


def test_url_paths_stay_case_sensitive():
    assert identifier_key("https://example.org/A") != identifier_key(
        "https://example.org/a"
    )


def test_text_fingerprint_ignores_case_accents_punctuation_and_spacing():
    a = text_fingerprint("Thermoelectric Générateur", "exhaust heat,  recovered!")
    b = text_fingerprint("thermoelectric generateur", "Exhaust heat recovered")
    assert a and a == b
    assert text_fingerprint("Short", "text") == ""  # too short to judge
    assert text_fingerprint("A different document title", "about something else") != a


def test_unparseable_urls_give_no_key_instead_of_an_error():
    assert identifier_key("", "https://example.org:99999/") == ""
    assert identifier_key("http://[oops").startswith("other:")


def test_very_long_keys_are_digested_to_fit():
    key = identifier_key("", "https://example.org/" + "a" * 2000)
    assert key.startswith("url:sha256:") and len(key) <= 300
    assert key == identifier_key("", "https://www.example.org/" + "a" * 2000 + "/")
