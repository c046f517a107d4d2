"""The contributions API: every endpoint's happy path, partial dates, partial edits,
ratings, threaded comments with moderation, flags, rate limits, the OpenAPI schema
and query budgets."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command

from submissions import services
from submissions.models import (
    ClaimMapping,
    Comment,
    Flag,
    PriorArt,
    PriorArtStatus,
    Vote,
)
from tests.factories import UserFactory

from .api_helpers import api, payload, relax, set_state, submit, verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _relaxed(settings):
    relax(settings)


@pytest.fixture
def case(case_factory):
    return case_factory("open", claims=3)


@pytest.fixture
def owner(db):
    return verified("owner")


@pytest.fixture
def other(db):
    return verified("other")


def prior_art_url(case) -> str:
    return f"/api/v1/cases/{case.pk}/prior-art/"


def detail_url(prior_art) -> str:
    return f"/api/v1/prior-art/{prior_art.pk}/"


# --- Prior art: list and submit ---------------------------------------------------------


def test_list_shows_public_prior_art_paginated(case, owner, other, settings):
    first = submit(case, owner, title="First survey of exhaust heat recovery")
    second = submit(case, other, title="Second survey of exhaust heat recovery")
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = True
    held = submit(case, verified("newcomer"), title="Held for a first screening")
    assert held.held_for_screening

    body = api().get(prior_art_url(case)).json()

    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [first.pk, second.pk]
    row = body["results"][0]
    assert row["tracking_ref"] == first.tracking_ref
    assert row["author"] == "owner"
    assert row["claim_mappings"] == [
        {"claim": 1, "explanation": "Same arrangement as claim 1."}
    ]
    assert row["url_html"] == f"http://testserver/evidence/{first.tracking_ref}/"
    # The newcomer sees their own held submission; the public does not.
    mine = api(held.author).get(prior_art_url(case)).json()
    assert held.pk in [row["id"] for row in mine["results"]]


def test_list_is_404_for_unknown_and_unpublished_cases(case_factory):
    draft = case_factory("draft")
    assert api().get(prior_art_url(draft)).status_code == 404
    assert api().get("/api/v1/cases/999999/prior-art/").status_code == 404


def test_submit_returns_the_submission_with_derived_fields(case, owner):
    response = api(owner).post(prior_art_url(case), payload(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    prior_art = PriorArt.objects.get()
    assert body["id"] == prior_art.pk
    assert response["Location"] == f"http://testserver/api/v1/prior-art/{prior_art.pk}/"
    assert re.fullmatch(r"PA-[A-Z2-9]{4}-[A-Z2-9]{4}", body["tracking_ref"])
    expected = payload()
    for name in ("kind", "title", "authors", "identifier", "url", "excerpt"):
        assert body[name] == expected[name]
    for name in ("relevance", "claim_mappings"):
        assert body[name] == expected[name]
    assert body["published_on"] == "2001-06-01"
    assert body["published_on_precision"] == "day"
    assert body["status"] == "submitted"
    assert body["case"] == case.pk
    assert body["after_priority_date"] is False
    assert body["held_for_screening"] is False
    assert body["identifier_key"] == "doi:10.1109/ict.2001.979608"
    assert body["rating_count"] == 0
    assert body["rating_average"] is None
    assert body["author"] == "owner"
    assert body["url_html"] == f"http://testserver/evidence/{prior_art.tracking_ref}/"
    assert body["created_at"]
    assert prior_art.author == owner
    assert ClaimMapping.objects.filter(prior_art=prior_art).count() == 1


def test_submit_maps_several_claims(case, owner):
    mappings = [
        {"claim": 3, "explanation": "Claim 3: the converter."},
        {"claim": 1, "explanation": "Claim 1: the module."},
    ]
    response = api(owner).post(
        prior_art_url(case), payload(claim_mappings=mappings), format="json"
    )
    assert response.status_code == 201
    assert [m["claim"] for m in response.json()["claim_mappings"]] == [1, 3]


def test_first_submission_of_a_newcomer_is_held(case, owner, settings):
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = True
    body = api(owner).post(prior_art_url(case), payload(), format="json").json()
    assert body["held_for_screening"] is True
    assert api().get(f"/api/v1/prior-art/{body['id']}/").status_code == 404


@pytest.mark.parametrize(
    "sent, precision, stored",
    [
        ({"published_on": "2001-06-17"}, "day", "2001-06-17"),
        ({"published_on": "2001-06"}, "month", "2001-06-01"),
        ({"published_on": "2001"}, "year", "2001-01-01"),
        (
            {"published_on": "2001-06-17", "published_on_precision": "month"},
            "month",
            "2001-06-17",
        ),
        (
            {"published_on": "2001-06", "published_on_precision": "year"},
            "year",
            "2001-06-01",
        ),
        ({"published_on": None}, "day", None),
        ({"published_on": ""}, "day", None),
    ],
)
def test_partial_dates_set_their_precision(case, owner, sent, precision, stored):
    body = api(owner).post(prior_art_url(case), payload(**sent), format="json").json()
    assert (body["published_on"], body["published_on_precision"]) == (
        stored,
        precision,
    )


def test_a_partial_date_cannot_claim_more_precision_than_it_has(case, owner):
    response = api(owner).post(
        prior_art_url(case),
        payload(published_on="2001", published_on_precision="day"),
        format="json",
    )
    assert response.status_code == 400
    assert "published_on_precision" in response.json()
    assert not PriorArt.objects.exists()


def test_evidence_after_the_priority_date_is_accepted_and_marked(case, owner):
    later = case.priority_date + timedelta(days=40)
    same_month = case.priority_date.replace(day=1)
    late = api(owner).post(
        prior_art_url(case),
        payload(published_on=later.isoformat(), identifier="later"),
        format="json",
    )
    unsure = api(owner).post(
        prior_art_url(case),
        payload(published_on=same_month.strftime("%Y-%m"), identifier="same month"),
        format="json",
    )
    assert late.status_code == unsure.status_code == 201
    assert late.json()["after_priority_date"] is True
    # A month-precise date in the priority month may predate it: not marked.
    assert unsure.json()["after_priority_date"] is False


def test_submit_with_a_session_works_like_a_token(case, owner, client):
    client.force_login(owner)
    response = client.post(
        prior_art_url(case), payload(), content_type="application/json"
    )
    assert response.status_code == 201
    assert PriorArt.objects.get().author == owner


def test_service_errors_come_back_under_the_api_field_names(case, owner):
    def post(**overrides):
        return api(owner).post(prior_art_url(case), payload(**overrides), format="json")

    unknown = post(claim_mappings=[{"claim": 9, "explanation": "No such claim."}])
    assert unknown.status_code == 400
    assert unknown.json() == {
        "claim_mappings": ["Claim 9 is not a claim of this case."]
    }
    twice = post(
        claim_mappings=[
            {"claim": 1, "explanation": "Once."},
            {"claim": 1, "explanation": "Twice."},
        ]
    )
    assert twice.json() == {"claim_mappings": ["Claim 1 is ticked twice."]}
    none = post(claim_mappings=[])
    assert none.json() == {
        "claim_mappings": ["Tick at least one claim this evidence bears on."]
    }
    assert not PriorArt.objects.exists()


# --- Prior art: detail, edit, withdraw --------------------------------------------------


def test_detail_shows_a_visible_submission(case, owner):
    prior_art = submit(case, owner)
    body = api().get(detail_url(prior_art)).json()
    assert body["id"] == prior_art.pk
    assert body["title"] == prior_art.title
    assert body["claim_mappings"] == [
        {"claim": 1, "explanation": "Same arrangement as claim 1."}
    ]


def test_patch_changes_only_the_fields_sent(case, owner):
    created = api(owner).post(prior_art_url(case), payload(), format="json").json()

    response = api(owner).patch(
        f"/api/v1/prior-art/{created['id']}/",
        {"title": "A corrected title", "published_on": "1999"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["title"] == "A corrected title"
    assert body["published_on"] == "1999-01-01"
    assert body["published_on_precision"] == "year"
    for name in ("kind", "authors", "identifier", "url", "excerpt", "relevance"):
        assert body[name] == created[name]
    assert body["claim_mappings"] == created["claim_mappings"]
    assert body["tracking_ref"] == created["tracking_ref"]


def test_patch_replaces_the_claim_mappings_when_given(case, owner):
    created = api(owner).post(prior_art_url(case), payload(), format="json").json()
    mappings = [{"claim": 2, "explanation": "Now about claim 2."}]
    body = (
        api(owner)
        .patch(
            f"/api/v1/prior-art/{created['id']}/",
            {"claim_mappings": mappings},
            format="json",
        )
        .json()
    )
    assert body["claim_mappings"] == mappings
    assert body["title"] == created["title"]


def test_patch_on_needs_changes_resubmits(case, owner):
    prior_art = set_state(submit(case, owner), PriorArtStatus.NEEDS_CHANGES)
    response = api(owner).patch(
        detail_url(prior_art), {"relevance": "Clearer now."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_patch_can_clear_optional_fields(case, owner):
    created = api(owner).post(prior_art_url(case), payload(), format="json").json()
    body = (
        api(owner)
        .patch(
            f"/api/v1/prior-art/{created['id']}/",
            {"published_on": None, "identifier": "", "url": ""},
            format="json",
        )
        .json()
    )
    assert body["published_on"] is None
    assert body["identifier"] == body["url"] == body["identifier_key"] == ""


def test_delete_withdraws(case, owner):
    prior_art = submit(case, owner)
    response = api(owner).delete(detail_url(prior_art))
    assert response.status_code == 204
    prior_art.refresh_from_db()
    assert prior_art.status == PriorArtStatus.WITHDRAWN
    assert api(owner).get(detail_url(prior_art)).json()["status"] == "withdrawn"
    assert api().get(detail_url(prior_art)).status_code == 404


# --- Ratings ----------------------------------------------------------------------------


def test_rating_sets_changes_and_summarises(case, owner, other):
    prior_art = submit(case, owner)
    url = f"/api/v1/prior-art/{prior_art.pk}/rating/"

    first = api(other).put(url, {"rating": 4}, format="json")
    assert first.status_code == 200
    assert first.json() == {"rating": 4, "rating_count": 1, "rating_average": 4.0}
    changed = api(other).put(url, {"rating": 2}, format="json").json()
    assert changed == {"rating": 2, "rating_count": 1, "rating_average": 2.0}
    third = api(verified("third")).put(url, {"rating": 5}, format="json").json()
    assert third == {"rating": 5, "rating_count": 2, "rating_average": 3.5}

    assert Vote.objects.filter(prior_art=prior_art).count() == 2
    detail = api().get(detail_url(prior_art)).json()
    assert (detail["rating_count"], detail["rating_average"]) == (2, 3.5)


def test_rating_one_own_submission_is_refused_with_a_reason(case, owner):
    prior_art = submit(case, owner)
    response = api(owner).put(
        f"/api/v1/prior-art/{prior_art.pk}/rating/", {"rating": 5}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "You cannot rate your own evidence."}


# --- Comments ---------------------------------------------------------------------------


def test_comments_on_case_claim_submission_and_replies_in_thread_order(
    case, owner, other
):
    prior_art = submit(case, owner)
    url = f"/api/v1/cases/{case.pk}/comments/"

    on_case = api(owner).post(url, {"body": "On the case."}, format="json")
    assert on_case.status_code == 201, on_case.json()
    on_claim = (
        api(other).post(url, {"body": "On claim 2.", "claim": 2}, format="json").json()
    )
    on_evidence = (
        api(other)
        .post(
            url, {"body": "On the evidence.", "prior_art": prior_art.pk}, format="json"
        )
        .json()
    )
    reply = (
        api(owner)
        .post(url, {"body": "A reply.", "parent": on_evidence["id"]}, format="json")
        .json()
    )

    assert on_case.json()["claim"] is None
    assert on_claim["claim"] == 2
    assert on_evidence["prior_art"] == prior_art.pk
    # A reply inherits its parent's target and sits one level deeper.
    assert (reply["parent"], reply["prior_art"], reply["depth"]) == (
        on_evidence["id"],
        prior_art.pk,
        1,
    )
    listed = api().get(url).json()
    assert listed["count"] == 4
    assert [(c["body"], c["depth"]) for c in listed["results"]] == [
        ("On the case.", 0),
        ("On claim 2.", 0),
        ("On the evidence.", 0),
        ("A reply.", 1),
    ]
    row = listed["results"][0]
    assert row["author"] == "owner"
    assert row["hidden"] is False
    assert row["hidden_reason"] is None


def test_hidden_comments_keep_their_place_without_text_or_author(
    case, owner, other, editor_a
):
    url = f"/api/v1/cases/{case.pk}/comments/"
    rude = api(other).post(url, {"body": "Something rude."}, format="json").json()
    api(owner).post(url, {"body": "A reply.", "parent": rude["id"]}, format="json")
    services.comment_hide(
        comment=Comment.objects.get(pk=rude["id"]),
        actor=editor_a,
        reason="Personal attack.",
    )

    rows = api().get(url).json()["results"]

    assert rows[0] == {
        **rows[0],
        "id": rude["id"],
        "hidden": True,
        "body": None,
        "author": None,
        "hidden_reason": "Personal attack.",
    }
    assert (rows[1]["body"], rows[1]["depth"], rows[1]["hidden"]) == (
        "A reply.",
        1,
        False,
    )


def test_comments_hidden_by_reports_say_so(case, owner, settings):
    settings.OPENDOCKET_FLAG_HIDE_THRESHOLD = 1
    url = f"/api/v1/cases/{case.pk}/comments/"
    comment = api(owner).post(url, {"body": "Spam spam spam."}, format="json").json()
    flagged = api(verified("reporter")).post(
        "/api/v1/flags/", {"comment": comment["id"], "reason": "spam"}, format="json"
    )
    assert flagged.status_code == 201
    row = api().get(url).json()["results"][0]
    assert row["hidden"] is True
    assert row["body"] is None
    assert row["hidden_reason"] == "Hidden after reports, until a reviewer decides."


def test_replying_to_a_comment_of_another_case_is_a_field_error(
    case, case_factory, owner
):
    elsewhere = case_factory("open")
    foreign = api(owner).post(
        f"/api/v1/cases/{elsewhere.pk}/comments/", {"body": "Elsewhere."}, format="json"
    )
    response = api(owner).post(
        f"/api/v1/cases/{case.pk}/comments/",
        {"body": "Reply.", "parent": foreign.json()["id"]},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"parent"}


# --- Flags ------------------------------------------------------------------------------


def test_flag_a_submission_and_a_comment(case, owner, other):
    prior_art = submit(case, owner)
    comment = services.comment_post(case=case, author=owner, body="Buy my product!")

    on_evidence = api(other).post(
        "/api/v1/flags/",
        {"prior_art": prior_art.pk, "reason": "copyright", "details": "Scanned book."},
        format="json",
    )
    on_comment = api(other).post(
        "/api/v1/flags/", {"comment": comment.pk, "reason": "spam"}, format="json"
    )

    assert on_evidence.status_code == on_comment.status_code == 201
    body = on_evidence.json()
    assert body == {
        **body,
        "prior_art": prior_art.pk,
        "comment": None,
        "reason": "copyright",
        "details": "Scanned book.",
        "status": "open",
    }
    assert on_comment.json()["comment"] == comment.pk
    assert Flag.objects.count() == 2


def test_flag_needs_exactly_one_target_and_only_once(case, owner, other):
    prior_art = submit(case, owner)
    comment = services.comment_post(case=case, author=owner, body="Hello.")
    flags = "/api/v1/flags/"
    both = api(other).post(
        flags,
        {"prior_art": prior_art.pk, "comment": comment.pk, "reason": "spam"},
        format="json",
    )
    neither = api(other).post(flags, {"reason": "spam"}, format="json")
    assert both.status_code == neither.status_code == 400
    assert "non_field_errors" in both.json()

    data = {"prior_art": prior_art.pk, "reason": "spam"}
    assert api(other).post(flags, data, format="json").status_code == 201
    again = api(other).post(flags, data, format="json")
    assert again.status_code == 400
    assert again.json() == {
        "non_field_errors": [
            "You have already reported this; a reviewer will look at it."
        ]
    }
    assert Flag.objects.count() == 1


# --- Rate limits ------------------------------------------------------------------------


def test_third_submission_in_an_hour_is_429_and_not_saved(case, owner, settings):
    settings.OPENDOCKET_RATE_LIMITS = {
        **settings.OPENDOCKET_RATE_LIMITS,
        "submit": "2/h",
    }
    client = api(owner)
    for n in range(2):
        response = client.post(
            prior_art_url(case), payload(identifier=f"doc {n}"), format="json"
        )
        assert response.status_code == 201

    third = client.post(prior_art_url(case), payload(identifier="doc 3"), format="json")

    assert third.status_code == 429
    assert "2 an hour" in third.json()["detail"]
    assert "nothing you entered was saved" in third.json()["detail"]
    assert PriorArt.objects.count() == 2


@pytest.mark.parametrize("group", ["comment", "rate", "flag"])
def test_other_writes_are_rate_limited_too(case, owner, other, settings, group):
    settings.OPENDOCKET_RATE_LIMITS = {**settings.OPENDOCKET_RATE_LIMITS, group: "1/h"}
    first, second = submit(case, owner), submit(case, owner, title="Another one")
    calls = {
        "comment": lambda n: api(other).post(
            f"/api/v1/cases/{case.pk}/comments/", {"body": f"No. {n}"}, format="json"
        ),
        "rate": lambda n: api(other).put(
            f"/api/v1/prior-art/{(first, second)[n].pk}/rating/",
            {"rating": 3},
            format="json",
        ),
        "flag": lambda n: api(other).post(
            "/api/v1/flags/",
            {"prior_art": (first, second)[n].pk, "reason": "spam"},
            format="json",
        ),
    }
    assert calls[group](0).status_code in (200, 201)
    limited = calls[group](1)
    assert limited.status_code == 429
    assert limited.json()["detail"]
    assert Comment.objects.count() + Vote.objects.count() + Flag.objects.count() == 1


def test_rate_limit_is_per_user(case, owner, other, settings):
    settings.OPENDOCKET_RATE_LIMITS = {
        **settings.OPENDOCKET_RATE_LIMITS,
        "submit": "1/h",
    }
    assert (
        api(owner).post(prior_art_url(case), payload(), format="json").status_code
        == 201
    )
    assert (
        api(other).post(prior_art_url(case), payload(), format="json").status_code
        == 201
    )
    assert (
        api(owner).post(prior_art_url(case), payload(), format="json").status_code
        == 429
    )


# --- Schema and query budgets -----------------------------------------------------------


def test_schema_documents_the_contribution_endpoints(client):
    schema = client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()
    paths = schema["paths"]
    assert set(paths["/api/v1/cases/{id}/prior-art/"]) >= {"get", "post"}
    assert set(paths["/api/v1/prior-art/{id}/"]) >= {"get", "patch", "delete"}
    assert "put" in paths["/api/v1/prior-art/{id}/rating/"]
    assert set(paths["/api/v1/cases/{id}/comments/"]) >= {"get", "post"}
    assert "post" in paths["/api/v1/flags/"]
    submit_op = paths["/api/v1/cases/{id}/prior-art/"]["post"]
    assert set(submit_op["responses"]) == {"201", "400", "401", "403", "404", "429"}
    request = schema["components"]["schemas"]["PriorArtInputRequest"]["properties"]
    assert set(request) == {
        "kind",
        "title",
        "authors",
        "published_on",
        "published_on_precision",
        "identifier",
        "url",
        "excerpt",
        "relevance",
        "claim_mappings",
        "library_document",
    }
    response = schema["components"]["schemas"]["PriorArt"]["properties"]
    assert {
        "id",
        "status",
        "tracking_ref",
        "after_priority_date",
        "held_for_screening",
        "identifier_key",
        "rating_count",
        "rating_average",
        "author",
        "url_html",
        "created_at",
    } <= set(response)
    listing = paths["/api/v1/cases/{id}/prior-art/"]["get"]
    assert "page" in {p["name"] for p in listing["parameters"]}


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert "/api/v1/flags/" in schema["paths"]


def _populate(case, n: int) -> None:
    voter = verified(f"voter-{n}")
    for i in range(n):
        author = verified(f"author-{n}-{i}")
        prior_art = submit(case, author, title=f"Survey number {n}-{i} of waste heat")
        services.vote_set(prior_art=prior_art, voter=voter, rating=4)
        services.comment_post(
            case=case, author=author, body=f"Comment {i}", prior_art=prior_art
        )


@pytest.mark.parametrize("n", [2, 12])
def test_lists_run_a_constant_number_of_queries(case, n, django_assert_max_num_queries):
    _populate(case, n)
    viewer = verified("viewer")
    with django_assert_max_num_queries(14):
        assert api(viewer).get(prior_art_url(case)).json()["count"] == n
    with django_assert_max_num_queries(6):
        assert (
            api(viewer).get(f"/api/v1/cases/{case.pk}/comments/").json()["count"] == n
        )


def test_writes_by_a_deleted_account_are_refused(case):
    gone = verified("gone")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    response = api(gone).post(prior_art_url(case), payload(), format="json")
    assert response.status_code == 401


def test_unverified_accounts_are_told_to_confirm_their_address(case):
    response = api(UserFactory(username="unconfirmed")).post(
        prior_art_url(case), payload(), format="json"
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Confirm your e-mail address before you submit evidence."
    }
