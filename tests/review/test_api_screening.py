"""The reviewers' API: the screening queue (fields, filters, pagination, bad filters,
query budget) and screening decisions (each decision, bad bodies: 400 with reasons and
nothing changed, refusals that say why)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cases import services as case_services
from review import services
from submissions import services as submission_services
from submissions.models import AuditEvent, FlagReason, PriorArtStatus
from tests.submissions.api_helpers import api, relax, verified

from .test_api import (
    QUEUE,
    count_queries,
    evidence,
    forward,
    hold,
    make_case,
    make_people,
    screening_url,
    state,
    vetted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _relaxed(settings):
    relax(settings)


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def case(case_factory, people):
    return make_case(case_factory, people)


# --- Queue ------------------------------------------------------------------------------


def test_queue_lists_what_waits_for_screening_with_triage_fields(case, people):
    reviewer = people["reviewer-x"]
    first = evidence(
        case,
        people["alice"],
        "Exhaust heat recovery, 2001",
        claims=(1, 3),
        identifier="doi:10.1109/ICT.2001.979608",
    )
    copy = hold(
        evidence(
            case,
            people["bob"],
            "The same paper again",
            identifier="doi:10.1109/ict.2001.979608",
            published_on=timezone.now().date(),
        )
    )
    done = vetted(case, people["carol"], reviewer, "Already vetted")
    submission_services.vote_set(prior_art=first, voter=people["carol"], rating=5)
    submission_services.vote_set(prior_art=first, voter=people["dave"], rating=2)
    services.reviewer_rating_set(prior_art=first, reviewer=reviewer, rating=4)
    submission_services.flag_create(
        reporter=people["dave"], reason=FlagReason.SPAM, prior_art=first
    )

    response = api(reviewer).get(QUEUE)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == 2 and body["next"] is None
    assert [row["id"] for row in body["results"]] == [first.pk, copy.pk]
    row, dup = body["results"]
    assert row == {
        "id": first.pk,
        "tracking_ref": first.tracking_ref,
        "case": {"id": case.pk, "reference": "NP 2025/004417"},
        "title": "Exhaust heat recovery, 2001",
        "kind": "publication",
        "status": "submitted",
        "submitted_at": row["submitted_at"],
        "contributor": "alice",
        "held_for_screening": False,
        "after_priority_date": False,
        "suspected_duplicate": False,
        "open_flags": 1,
        "ratings": {"count": 2, "mean": 3.5},
        "reviewer_ratings": {"count": 1, "mean": 4.0},
        "claims": [1, 3],
        "url": f"http://testserver/review/evidence/{first.tracking_ref}/",
    }
    assert row["submitted_at"].startswith(str(first.created_at.year))
    assert dup["held_for_screening"] is True
    assert dup["after_priority_date"] is True
    assert dup["suspected_duplicate"] is True
    assert dup["ratings"] == {"count": 0, "mean": None}
    assert dup["reviewer_ratings"] == {"count": 0, "mean": None}
    # status=all includes the vetted one
    everything = api(reviewer).get(QUEUE, {"status": "all"}).json()
    assert {row["id"] for row in everything["results"]} == {first.pk, copy.pk, done.pk}


def test_queue_filters(case, case_factory, people):
    reviewer = people["reviewer-x"]
    other = case_factory("open", claims=2)
    case_services.case_appoint_reviewer(case=other, user=reviewer)
    on_claim_2 = evidence(case, people["alice"], "Bears on claim 2", claims=(2,))
    late = evidence(
        case, people["bob"], "Dated late", published_on=timezone.now().date()
    )
    flagged = evidence(case, people["carol"], "Reported", identifier="US7654321")
    submission_services.flag_create(
        reporter=people["dave"], reason=FlagReason.SPAM, prior_art=flagged
    )
    duplicate = evidence(case, people["dave"], "Copy", identifier="US 7,654,321")
    elsewhere = evidence(other, people["alice"], "On the other case")
    changes = evidence(case, people["carol"], "Needs a page")
    services.prior_art_request_changes(
        prior_art=changes, actor=reviewer, reason="Add the page."
    )
    client = api(reviewer)

    def ids(**params) -> set[int]:
        response = client.get(QUEUE, params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {on_claim_2.pk, late.pk, flagged.pk, duplicate.pk, elsewhere.pk}
    assert ids(case=other.pk) == {elsewhere.pk}
    assert ids(case=case.pk, claim=2) == {on_claim_2.pk}
    assert ids(flagged="true") == {flagged.pk}
    assert ids(after_priority="1") == {late.pk}
    assert ids(duplicate="yes") == {duplicate.pk}
    assert ids(status="needs_changes") == {changes.pk}
    assert ids(flagged="false", case="") == ids()


def test_queue_is_paginated_like_the_rest_of_the_api(case, people):
    for n in range(21):
        evidence(case, people["alice"], f"Paper number {n}")
    first = api(people["reviewer-x"]).get(QUEUE).json()
    assert first["count"] == 21 and len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/v1/review/queue/?page=2"
    second = api(people["reviewer-x"]).get(first["next"]).json()
    assert len(second["results"]) == 1
    assert api(people["reviewer-x"]).get(QUEUE, {"page": 9}).status_code == 404


@pytest.mark.parametrize(
    "params, errors",
    [
        ({"status": "bogus"}, {"status": ['"bogus" is not a valid choice.']}),
        ({"case": "abc"}, {"case": ["A valid integer is required."]}),
        ({"case": "0"}, {"case": ["Ensure this value is greater than or equal to 1."]}),
        ({"claim": "1"}, {"claim": ["Choose a case to filter by claim."]}),
        ({"claim": "x"}, {"claim": ["A valid integer is required."]}),
        ({"flagged": "maybe"}, {"flagged": ["Must be a valid boolean."]}),
        ({"after_priority": "2"}, {"after_priority": ["Must be a valid boolean."]}),
        ({"duplicate": "sure"}, {"duplicate": ["Must be a valid boolean."]}),
    ],
)
def test_queue_refuses_bad_filters_with_a_reason(case, people, params, errors):
    response = api(people["reviewer-x"]).get(QUEUE, params)
    assert response.status_code == 400
    assert response.json() == errors


def test_queue_case_and_claim_must_be_ones_the_reviewer_screens(
    case, case_factory, people
):
    client = api(people["reviewer-x"])
    unrelated = case_factory("open")
    for case_id in (unrelated.pk, 987654):
        response = client.get(QUEUE, {"case": case_id})
        assert response.status_code == 400
        assert response.json() == {
            "case": ["You are not screening a case with this id."]
        }
    missing_claim = client.get(QUEUE, {"case": case.pk, "claim": 9})
    assert missing_claim.status_code == 400
    assert missing_claim.json() == {"claim": ["Case NP 2025/004417 has no claim 9."]}


def test_queue_refuses_people_who_review_nothing(case, people):
    response = api(people["examiner-x"]).get(QUEUE)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "You are not appointed to review any case, so you have no queue."
    }
    assert api().get(QUEUE).status_code == 401


# --- Screening --------------------------------------------------------------------------


def test_vet_releases_a_held_submission(case, people):
    item = hold(evidence(case, people["alice"], "Held paper"))
    response = api(people["reviewer-x"]).post(
        screening_url(item), {"decision": "vet", "reason": "Good find."}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "id": item.pk,
        "tracking_ref": item.tracking_ref,
        "status": "vetted",
        "status_reason": "Good find.",
        "duplicate_of": None,
    }
    item.refresh_from_db()
    assert item.status == PriorArtStatus.VETTED and not item.held_for_screening
    assert AuditEvent.objects.filter(
        prior_art=item, action="vet", actor=people["reviewer-x"]
    ).exists()


@pytest.mark.parametrize(
    "decision, to", [("needs_changes", "needs_changes"), ("reject", "rejected")]
)
def test_reject_and_request_changes_carry_the_reason(case, people, decision, to):
    item = evidence(case, people["alice"], "Undated leaflet")
    response = api(people["reviewer-x"]).post(
        screening_url(item),
        {"decision": decision, "reason": "Give the publication date."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == to
    assert response.json()["status_reason"] == "Give the publication date."
    item.refresh_from_db()
    assert item.status == to


def test_duplicate_points_at_the_original(case, people):
    original = evidence(case, people["alice"], "Original")
    copy = evidence(case, people["bob"], "Copy")
    response = api(people["reviewer-x"]).post(
        screening_url(copy),
        {"decision": "duplicate", "duplicate_of": original.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "duplicate" and body["duplicate_of"] == original.pk
    assert original.tracking_ref in body["status_reason"]
    copy.refresh_from_db()
    assert copy.duplicate_of == original


def _screening_bad_bodies(case_factory, case, people):
    other_case = case_factory("open")
    on_other_case = evidence(other_case, people["carol"], "Elsewhere")
    rejected = services.prior_art_reject(
        prior_art=evidence(case, people["dave"], "Rejected one"),
        actor=people["reviewer-x"],
        reason="Off topic.",
    )
    return {
        "no decision": ({"reason": "x"}, {"decision": ["This field is required."]}),
        "unknown decision": (
            {"decision": "approve"},
            {"decision": ['"approve" is not a valid choice.']},
        ),
        "decision not a string": (
            {"decision": ["vet"]},
            {"decision": ["\"['vet']\" is not a valid choice."]},
        ),
        "reject without reason": (
            {"decision": "reject", "reason": "   "},
            {"reason": ["Give the contributor a reason."]},
        ),
        "changes without reason": (
            {"decision": "needs_changes"},
            {"reason": ["Give the contributor a reason."]},
        ),
        "reason too long": (
            {"decision": "reject", "reason": "x" * 5001},
            {"reason": ["Ensure this field has no more than 5000 characters."]},
        ),
        "duplicate without original": (
            {"decision": "duplicate"},
            {"duplicate_of": ["Say which submission this one duplicates."]},
        ),
        "duplicate of nothing": (
            {"decision": "duplicate", "duplicate_of": 987654},
            {"duplicate_of": ["There is no submission with this id on this case."]},
        ),
        "duplicate on another case": (
            {"decision": "duplicate", "duplicate_of": on_other_case.pk},
            {"duplicate_of": ["There is no submission with this id on this case."]},
        ),
        "duplicate of a rejected one": (
            {"decision": "duplicate", "duplicate_of": rejected.pk},
            {
                "duplicate_of": [
                    "The original was withdrawn or rejected; choose another."
                ]
            },
        ),
        "duplicate_of as a string": (
            {"decision": "duplicate", "duplicate_of": "12"},
            {"duplicate_of": ["A valid integer is required."]},
        ),
        "duplicate_of as a boolean": (
            {"decision": "duplicate", "duplicate_of": True},
            {"duplicate_of": ["A valid integer is required."]},
        ),
    }


def test_bad_screening_bodies_are_400_with_reasons_and_change_nothing(
    case, case_factory, people
):
    item = evidence(case, people["alice"], "To screen")
    client = api(people["reviewer-x"])
    for label, (body, errors) in _screening_bad_bodies(
        case_factory, case, people
    ).items():
        before = state(item)
        response = client.post(screening_url(item), body, format="json")
        assert response.status_code == 400, label
        assert response.json() == errors, label
        assert state(item) == before, label
    itself = client.post(
        screening_url(item),
        {"decision": "duplicate", "duplicate_of": item.pk},
        format="json",
    )
    assert itself.status_code == 400
    assert itself.json() == {"duplicate_of": ["A submission cannot duplicate itself."]}
    form = client.post(screening_url(item), {"decision": "vet"})  # not JSON
    assert form.status_code == 415
    assert state(item)[0] == PriorArtStatus.SUBMITTED


def test_a_decision_the_state_does_not_allow_is_400(case, people):
    item = vetted(case, people["alice"], people["reviewer-x"], "Vetted already")
    before = state(item)
    response = api(people["reviewer-x"]).post(
        screening_url(item), {"decision": "vet"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert "vetted" in response.json()["non_field_errors"][0]
    assert state(item) == before


def test_screening_refusals_say_why(case, people):
    item = evidence(case, people["alice"], "Public paper")
    refused = api(people["examiner-x"]).post(
        screening_url(item), {"decision": "vet"}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Only the reviewers of this case can screen its evidence."
    }
    vetted(case, people["bob"], people["reviewer-x"], "To forward")
    forward(case)
    late = api(people["reviewer-x"]).post(
        screening_url(item), {"decision": "vet"}, format="json"
    )
    assert late.status_code == 403
    assert late.json() == {
        "detail": "This case is forwarded to examiner: evidence is screened only "
        "while a case is open or closed."
    }
    missing = api(people["reviewer-x"]).post(
        "/api/v1/prior-art/987654/screening/", {"decision": "vet"}, format="json"
    )
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No such submission."}


# --- Query budget -----------------------------------------------------------------------


def _fill_queue(case, people, n: int, tag: str) -> None:
    for i in range(n):
        author = verified(f"queue-author-{tag}-{i}")
        item = evidence(case, author, f"Queue paper {i}", claims=(1, 2))
        submission_services.vote_set(prior_art=item, voter=people["alice"], rating=4)
        services.reviewer_rating_set(
            prior_art=item, reviewer=people["reviewer-x"], rating=3
        )
        submission_services.flag_create(
            reporter=people["bob"], reason=FlagReason.SPAM, prior_art=item
        )


def test_queue_runs_a_constant_number_of_queries(case, case_factory, people):
    client = api(people["reviewer-x"])
    _fill_queue(case, people, 2, "a")
    small, body = count_queries(client, QUEUE)
    assert body["count"] == 2
    _fill_queue(case, people, 12, "b")
    large, body = count_queries(client, QUEUE)
    assert body["count"] == 14
    assert large == small <= 6


def test_a_session_write_needs_the_csrf_token(case, people):
    item = evidence(case, people["alice"], "Session screening")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["reviewer-x"])
    response = client.post(screening_url(item), {"decision": "vet"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert state(item)[0] == PriorArtStatus.SUBMITTED
    # Reading the queue with the session needs no token.
    assert client.get(QUEUE).status_code == 200
