"""Bad input through every text field and every number of the contributions API: never a
500; text comes back exactly as entered; what cannot be stored is a 400 naming the
field, and nothing is saved."""

from __future__ import annotations

import json

import pytest

from submissions import services
from submissions.models import Comment, Flag, PriorArt, Vote

from .api_helpers import api, payload, relax, submit, verified

pytestmark = pytest.mark.django_db

NASTY = {
    "control characters": "a\x01b\x1bc\x7fd\x9be",
    "right-to-left override": "abc \u202edcba\u202c and \u05e9\u05dc\u05d5\u05dd",
    "combining characters": "Z\u0351\u0335a\u0300\u0301l\u0308g\u030ao e\u0301",
    "emoji": "🔥 👩🏽‍🔬 🇪🇺 with text",
    "astral and zero-width": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 a\u200bb\ufeffc",
    "SQL": "'; DROP TABLE submissions_priorart; -- \" OR 1=1",
    "template syntax": "{{ request.user.password }} {% debug %} ${7*7} #{7*7}",
    "HTML and script": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "line breaks inside": "line 1\r\nline 2\n\tindented",
    "backslashes and quotes": 'C:\\path\\to\\"file" \\u0000 %s %(x)s',
}

# Each text field of a submission, with its model's maximum length.
PRIOR_ART_TEXT = {
    "title": 500,
    "authors": 500,
    "identifier": 300,
    "excerpt": 20000,
    "relevance": 5000,
}


@pytest.fixture(autouse=True)
def _relaxed(settings):
    relax(settings)


@pytest.fixture
def case(case_factory):
    return case_factory("open", claims=3)


@pytest.fixture
def owner(db):
    return verified("owner")


def post_raw(client, url: str, body) -> object:
    """Post JSON encoded with ASCII escapes, as some clients do (lone surrogates can
    only travel this way)."""
    return client.post(url, data=json.dumps(body), content_type="application/json")


def submit_url(case) -> str:
    return f"/api/v1/cases/{case.pk}/prior-art/"


def with_mapping_explanation(text: str) -> dict:
    return payload(claim_mappings=[{"claim": 1, "explanation": text}])


# --- Text comes back exactly as entered -------------------------------------------------


@pytest.mark.parametrize("field", [*PRIOR_ART_TEXT, "explanation"])
def test_prior_art_text_fields_keep_exactly_what_was_entered(case, owner, field):
    client = api(owner)
    for label, text in NASTY.items():
        body = (
            with_mapping_explanation(text)
            if field == "explanation"
            else payload(**{field: text})
        )
        response = client.post(submit_url(case), body, format="json")
        assert response.status_code == 201, (label, response.content)
        returned = response.json()
        fetched = client.get(f"/api/v1/prior-art/{returned['id']}/").json()
        stored = PriorArt.objects.get(pk=returned["id"])
        if field == "explanation":
            values = [
                returned["claim_mappings"][0]["explanation"],
                fetched["claim_mappings"][0]["explanation"],
                stored.mappings.get().explanation,
            ]
        else:
            values = [returned[field], fetched[field], getattr(stored, field)]
        assert values == [text] * 3, label


def test_a_url_with_markup_and_quotes_comes_back_as_entered(case, owner):
    url = "https://example.org/a?q=<script>alert('x')</script>&b=\"{{x}}\"#{%y%}"
    response = api(owner).post(submit_url(case), payload(url=url), format="json")
    assert response.status_code == 201
    assert response.json()["url"] == url


def test_patch_keeps_text_exactly_as_entered(case, owner):
    prior_art = submit(case, owner)
    for label, text in NASTY.items():
        response = api(owner).patch(
            f"/api/v1/prior-art/{prior_art.pk}/",
            {"title": text, "claim_mappings": [{"claim": 2, "explanation": text}]},
            format="json",
        )
        assert response.status_code == 200, label
        assert response.json()["title"] == text
        assert response.json()["claim_mappings"][0]["explanation"] == text


def test_comment_body_and_flag_details_keep_exactly_what_was_entered(case, owner):
    prior_art = submit(case, owner)
    reporter = verified("reporter")
    comments = f"/api/v1/cases/{case.pk}/comments/"
    for label, text in NASTY.items():
        posted = api(reporter).post(comments, {"body": text}, format="json")
        assert posted.status_code == 201, label
        assert posted.json()["body"] == text
        listed = api().get(comments).json()["results"]
        assert listed[-1]["body"] == text
        flagged = api(reporter).post(
            "/api/v1/flags/",
            {"prior_art": prior_art.pk, "reason": "other", "details": text},
            format="json",
        )
        assert flagged.status_code == 201, label
        assert flagged.json()["details"] == text
        Flag.objects.all().delete()  # one open report per person and item


# --- What cannot be stored is a 400 naming the field ------------------------------------


@pytest.mark.parametrize("field", [*PRIOR_ART_TEXT, "explanation"])
@pytest.mark.parametrize(
    "text",
    ["nul \x00 inside", "lone surrogate \ud800 inside"],
    ids=["NUL", "surrogate"],
)
def test_unstorable_characters_are_refused_by_field(case, owner, field, text):
    body = (
        with_mapping_explanation(text)
        if field == "explanation"
        else payload(**{field: text})
    )
    response = post_raw(api(owner), submit_url(case), body)
    assert response.status_code == 400
    errors = response.json()
    if field == "explanation":
        assert list(errors) == ["claim_mappings"]
        # DRF reports a list's errors by the index of the item that failed.
        assert list(errors["claim_mappings"]["0"]) == ["explanation"]
    else:
        assert set(errors) == {field}
    assert not PriorArt.objects.exists()


@pytest.mark.parametrize(
    "field, text",
    [("body", "a\x00b"), ("body", "a\ud800b")],
    ids=["NUL", "surrogate"],
)
def test_comment_with_unstorable_characters_is_refused(case, owner, field, text):
    response = post_raw(api(owner), f"/api/v1/cases/{case.pk}/comments/", {field: text})
    assert response.status_code == 400
    assert set(response.json()) == {field}
    assert not Comment.objects.exists()


@pytest.mark.parametrize("field, limit", PRIOR_ART_TEXT.items())
def test_lengths_up_to_the_model_limit_are_kept_and_beyond_refused(
    case, owner, field, limit
):
    client = api(owner)
    at_limit = client.post(
        submit_url(case), payload(**{field: "é" * limit}), format="json"
    )
    assert at_limit.status_code == 201
    assert at_limit.json()[field] == "é" * limit

    over = client.post(
        submit_url(case), payload(**{field: "x" * (limit + 1)}), format="json"
    )
    assert over.status_code == 400
    assert set(over.json()) == {field}
    absurd = client.post(
        submit_url(case), payload(**{field: "x" * 1_000_000}), format="json"
    )
    assert absurd.status_code == 400
    assert PriorArt.objects.count() == 1


def test_long_explanation_comment_and_flag_details_are_refused(case, owner):
    client = api(owner)
    too_long = client.post(
        submit_url(case), with_mapping_explanation("x" * 5001), format="json"
    )
    assert too_long.status_code == 400
    assert "explanation" in too_long.json()["claim_mappings"]["0"]
    comment = client.post(
        f"/api/v1/cases/{case.pk}/comments/", {"body": "x" * 5001}, format="json"
    )
    assert comment.status_code == 400
    assert set(comment.json()) == {"body"}
    prior_art = submit(case, verified("someone"))
    flag = client.post(
        "/api/v1/flags/",
        {"prior_art": prior_art.pk, "reason": "spam", "details": "x" * 2001},
        format="json",
    )
    assert flag.status_code == 400
    assert set(flag.json()) == {"details"}
    assert not Comment.objects.exists()
    assert not Flag.objects.exists()


def test_a_body_larger_than_the_server_accepts_is_a_400(case, owner):
    response = api(owner).post(
        submit_url(case), payload(excerpt="x" * 3_000_000), format="json"
    )
    assert response.status_code == 400
    assert not PriorArt.objects.exists()


def test_a_url_at_the_model_limit_is_kept(case, owner):
    url = "https://example.org/" + "a" * (2000 - len("https://example.org/"))
    response = api(owner).post(submit_url(case), payload(url=url), format="json")
    assert response.status_code == 201
    assert response.json()["url"] == url


@pytest.mark.parametrize(
    "url, identifier",
    [
        ("https://example.org/" + "a" * 500, ""),
        ("", "https://example.org/?q=" + "é" * 250),
    ],
    ids=["long url", "identifier that grows"],
)
def test_a_long_url_is_accepted(case, owner, url, identifier):
    response = api(owner).post(
        submit_url(case), payload(url=url, identifier=identifier), format="json"
    )
    assert response.status_code == 201
    assert response.json()["identifier_key"].startswith("url:sha256:")


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "javascript:alert(1)",
        "mailto:someone@example.org",
        "http://[::1",
        "https://",
        "x" * 2001,
        "https://example.org/" + "a" * 2000,
    ],
)
def test_bad_urls_are_refused(case, owner, url):
    response = api(owner).post(submit_url(case), payload(url=url), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"url"}


@pytest.mark.parametrize(
    "url, identifier",
    [
        ("https://example.org:99999/paper", ""),
        ("", "http://[not-an-address/paper"),
        ("", "http://host:port/paper"),
        ("", "https://example.org:123456/"),
    ],
)
def test_url_like_text_that_does_not_parse_is_kept_as_entered(
    case, owner, url, identifier
):
    response = api(owner).post(
        submit_url(case), payload(url=url, identifier=identifier), format="json"
    )
    assert response.status_code == 201
    assert (response.json()["url"], response.json()["identifier"]) == (url, identifier)


# --- Choices, dates and numbers ---------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", "book"),
        ("kind", "PATENT"),
        ("kind", 3),
        ("kind", None),
        ("kind", ["patent"]),
        ("kind", {"patent": True}),
        ("published_on", "2001-02-30"),
        ("published_on", "2001-13"),
        ("published_on", "2001-00"),
        ("published_on", "0000"),
        ("published_on", "99999"),
        ("published_on", "20010601"),
        ("published_on", "2001-6-1"),
        ("published_on", "2001-06-01T00:00:00"),
        ("published_on", "2001-06-01\n"),
        ("published_on", "yesterday"),
        ("published_on", 2001),
        ("published_on", ["2001"]),
        ("published_on_precision", "week"),
        ("published_on_precision", None),
        ("title", None),
        ("title", ""),
        ("title", "   "),
        ("title", ["a list"]),
        ("title", {"an": "object"}),
        ("relevance", True),
    ],
)
def test_bad_values_are_a_400_on_their_field(case, owner, field, value):
    response = api(owner).post(
        submit_url(case), payload(**{field: value}), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {field}
    assert not PriorArt.objects.exists()


@pytest.mark.parametrize(
    "mappings",
    [
        [{"claim": "1", "explanation": "A string."}],
        [{"claim": "one", "explanation": "A word."}],
        [{"claim": 1.0, "explanation": "A float."}],
        [{"claim": True, "explanation": "A boolean."}],
        [{"claim": None, "explanation": "Nothing."}],
        [{"claim": 0, "explanation": "Zero."}],
        [{"claim": -1, "explanation": "Negative."}],
        [{"claim": 10**30, "explanation": "Huge."}],
        [{"claim": 99, "explanation": "Not a claim of this case."}],
        [{"claim": 1}],
        [{"claim": 1, "explanation": ""}],
        [{"claim": 1, "explanation": "   "}],
        [{"explanation": "Which claim?"}],
        [1],
        ["1"],
        [],
        "1",
        {"claim": 1, "explanation": "Not in a list."},
        None,
        [{"claim": n, "explanation": "Many."} for n in range(1, 1100)],
    ],
)
def test_bad_claim_mappings_are_a_400(case, owner, mappings):
    response = api(owner).post(
        submit_url(case), payload(claim_mappings=mappings), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"claim_mappings"}
    assert not PriorArt.objects.exists()


def test_missing_required_fields_are_each_named(case, owner):
    response = api(owner).post(submit_url(case), {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "title", "relevance", "claim_mappings"}


@pytest.mark.parametrize(
    "raw, content_type, code",
    [
        ("[]", "application/json", 400),
        ('"just a string"', "application/json", 400),
        ("null", "application/json", 400),
        ("{not json", "application/json", 400),
        ('{"title": "x"', "application/json", 400),
        ("kind=patent&title=x", "application/x-www-form-urlencoded", 415),
        ("<xml/>", "text/xml", 415),
    ],
)
def test_bodies_that_are_not_a_json_object(case, owner, raw, content_type, code):
    for url in (
        submit_url(case),
        f"/api/v1/cases/{case.pk}/comments/",
        "/api/v1/flags/",
    ):
        response = api(owner).post(url, data=raw, content_type=content_type)
        assert response.status_code == code, url
        assert "detail" in response.json() or response.status_code == 400


@pytest.mark.parametrize(
    "rating", ["5", 5.0, 4.5, 0, 6, -1, True, None, 10**30, [5], {"value": 5}]
)
def test_bad_ratings_are_a_400(case, owner, rating):
    prior_art = submit(case, verified("author"))
    response = api(owner).put(
        f"/api/v1/prior-art/{prior_art.pk}/rating/", {"rating": rating}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"rating"}
    assert not Vote.objects.exists()


def test_comment_targets_that_are_not_on_the_case_are_field_errors(
    case, case_factory, owner
):
    elsewhere = case_factory("open")
    foreign = submit(elsewhere, verified("elsewhere"))
    url = f"/api/v1/cases/{case.pk}/comments/"
    cases = [
        ({"claim": 99}, "claim"),
        ({"claim": "1"}, "claim"),
        ({"claim": 10**30}, "claim"),
        ({"prior_art": foreign.pk}, "prior_art"),
        ({"prior_art": 987654}, "prior_art"),
        ({"prior_art": "x"}, "prior_art"),
        ({"parent": 987654}, "parent"),
        ({"parent": -1}, "parent"),
    ]
    for extra, field in cases:
        response = api(owner).post(url, {"body": "Hello.", **extra}, format="json")
        assert response.status_code == 400, extra
        assert set(response.json()) == {field}, extra
    for body in ("", "   ", None, ["x"]):
        response = api(owner).post(url, {"body": body}, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"body"}
    assert not Comment.objects.exists()


def test_bad_flags_are_a_400(case, owner):
    prior_art = submit(case, verified("author"))
    comment = services.comment_post(case=case, author=verified("talker"), body="Hi.")
    bad = [
        ({"prior_art": prior_art.pk, "reason": "boring"}, "reason"),
        ({"prior_art": prior_art.pk}, "reason"),
        ({"prior_art": str(prior_art.pk), "reason": "spam"}, "prior_art"),
        ({"prior_art": 987654, "reason": "spam"}, "prior_art"),
        ({"comment": 987654, "reason": "spam"}, "comment"),
        ({"comment": 10**30, "reason": "spam"}, "comment"),
        ({"comment": comment.pk, "reason": "spam", "details": None}, "details"),
    ]
    for body, field in bad:
        response = api(owner).post("/api/v1/flags/", body, format="json")
        assert response.status_code == 400, body
        assert set(response.json()) == {field}, body
    assert not Flag.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/prior-art/99999999999999999999999/",
        "/api/v1/prior-art/99999999999999999999999/rating/",
        "/api/v1/cases/99999999999999999999999/prior-art/",
        "/api/v1/cases/99999999999999999999999/comments/",
        "/api/v1/prior-art/0/",
        "/api/v1/prior-art/abc/",
        "/api/v1/prior-art/1%00/",
        "/api/v1/cases/-1/prior-art/",
    ],
)
def test_ids_in_paths_that_cannot_exist_are_404(owner, path):
    anonymous, logged_in = api(), api(owner)
    if "rating" not in path:
        assert anonymous.get(path).status_code == 404
        assert logged_in.get(path).status_code == 404
    # 405 where the path has no such method (PUT on a submission, PATCH on a rating)
    assert logged_in.patch(path, {}, format="json").status_code in (404, 405)
    assert logged_in.put(path, {"rating": 3}, format="json").status_code in (404, 405)
