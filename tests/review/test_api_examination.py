"""The examiners' side of the review API, and forwarding: the reviewer's forward and
its receipt, dossier list and detail, decisions (idempotent, 400 with reasons and
nothing changed), the claim chart files, and the query budgets of the dossier
endpoints."""

from __future__ import annotations

import csv
import io

import pytest

from accounts.models import Notification
from cases import services as case_services
from cases.models import CaseStatus
from review import services
from review.models import Dossier, DossierItem
from submissions.models import AuditEvent, PriorArtStatus
from tests.submissions.api_helpers import api, relax, verified

from .test_api import (
    DOSSIERS,
    count_queries,
    decision_url,
    dossier_url,
    evidence,
    forward,
    forward_url,
    make_case,
    make_people,
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


# --- Forwarding -------------------------------------------------------------------------


def test_reviewer_forwards_once_and_gets_a_receipt(case, people):
    reviewer = people["reviewer-x"]
    first = vetted(case, people["alice"], reviewer, "First")
    vetted(case, people["bob"], reviewer, "Second")
    evidence(case, people["carol"], "Not screened")

    created = api(reviewer).post(forward_url(case))
    assert created.status_code == 201, created.json()
    assert created.json() == {"forwarded": True, "item_count": 2, "created": True}
    dossier = Dossier.objects.get(case=case)
    assert dossier.trigger == "reviewer" and dossier.forwarded_by == reviewer
    case.refresh_from_db()
    assert case.status == CaseStatus.FORWARDED
    first.refresh_from_db()
    assert first.status == PriorArtStatus.FORWARDED

    again = api(reviewer).post(forward_url(case), {}, format="json")
    assert again.status_code == 200
    assert again.json() == {"forwarded": True, "item_count": 2, "created": False}
    assert Dossier.objects.count() == 1 and DossierItem.objects.count() == 2


def test_a_caller_who_may_open_the_dossier_gets_its_summary(case, people, admin_user):
    # Only a site admin is both: an examiner cannot be appointed to review their case.
    both = admin_user
    vetted(case, people["alice"], people["reviewer-x"], "Only one")
    response = api(both).post(forward_url(case))
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get()
    body = response.json()
    assert body == {
        "id": dossier.pk,
        "case": {
            "id": case.pk,
            "reference": case.reference,
            "title": case.title,
            "status": "forwarded",
        },
        "forwarded_at": body["forwarded_at"],
        "trigger": "reviewer",
        "item_count": 1,
    }
    assert response["Location"] == f"http://testserver{dossier_url(dossier)}"
    assert api(both).post(forward_url(case)).status_code == 200


def test_forwarding_a_case_in_the_wrong_state_is_400(case_factory, people):
    reviewer = people["reviewer-x"]
    scheduled = case_factory("scheduled")
    case_services.case_appoint_reviewer(case=scheduled, user=reviewer)
    response = api(reviewer).post(forward_url(scheduled))
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "A case can be forwarded while it is open or closed, not when scheduled."
        ]
    }
    assert not Dossier.objects.exists()


def test_forwarding_an_unpublished_or_unknown_case_is_404(case_factory, people):
    reviewer = people["reviewer-x"]
    draft = case_factory("draft")
    case_services.case_appoint_reviewer(case=draft, user=reviewer)
    assert api(reviewer).post(forward_url(draft)).status_code == 404
    assert api(reviewer).post("/api/v1/cases/987654/forward/").status_code == 404
    assert not Dossier.objects.exists()


def test_forwarding_refusal_says_why(case, people):
    response = api(people["examiner-x"]).post(forward_url(case))
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the reviewers of this case can forward its evidence."
    }
    assert not Dossier.objects.exists()


# --- Dossiers ---------------------------------------------------------------------------


def test_dossier_list_and_detail(case, people):
    reviewer, examiner = people["reviewer-x"], people["examiner-x"]
    top = vetted(case, people["alice"], reviewer, "Top", claims=(1, 2))
    vetted(case, people["bob"], reviewer, "Second")
    dossier = forward(case)
    first_item = dossier.items.get(prior_art=top)
    services.dossier_item_decide(
        item=first_item, actor=examiner, outcome="used_in_action", note="Claim 1."
    )

    listing = api(examiner).get(DOSSIERS)
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    summary = {
        "id": dossier.pk,
        "case": {
            "id": case.pk,
            "reference": "NP 2025/004417",
            "title": case.title,
            "status": "forwarded",
        },
        "forwarded_at": listing.json()["results"][0]["forwarded_at"],
        "trigger": "close",
        "item_count": 2,
        "decided_count": 1,
    }
    assert listing.json()["results"] == [summary]

    detail = api(examiner).get(dossier_url(dossier))
    assert detail.status_code == 200
    body = detail.json()
    items = body.pop("items")
    assert body == summary
    assert [item["rank"] for item in items] == [1, 2]
    first = items[0]
    assert first["id"] == first_item.pk
    assert first["score"] == pytest.approx(first_item.score)
    assert first["snapshot"] == first_item.snapshot
    assert first["snapshot"]["tracking_ref"] == top.tracking_ref
    assert [m["claim_number"] for m in first["snapshot"]["mappings"]] == [1, 2]
    assert first["decision"] == {
        "outcome": "used_in_action",
        "note": "Claim 1.",
        "decided_at": first["decision"]["decided_at"],
        "decided_by": "examiner-x",
    }
    assert items[1]["decision"] is None


def test_examiners_without_dossiers_get_an_empty_list_others_a_reason(case, people):
    empty = api(people["examiner-x"]).get(DOSSIERS)
    assert empty.status_code == 200 and empty.json()["count"] == 0
    refused = api(people["reviewer-x"]).get(DOSSIERS)
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "You are not assigned to examine any case, so you have no dossiers."
    }
    missing = api(people["examiner-x"]).get(f"{DOSSIERS}987654/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No such dossier."}


# --- Decisions --------------------------------------------------------------------------


@pytest.fixture
def forwarded(case, people):
    reviewer = people["reviewer-x"]
    vetted(case, people["alice"], reviewer, "First")
    vetted(case, people["bob"], reviewer, "Second")
    return forward(case)


def test_decision_is_recorded_and_the_last_one_decides_the_case(
    case, people, forwarded
):
    examiner = api(people["examiner-x"])
    first, second = forwarded.items.order_by("rank")
    response = examiner.put(
        decision_url(first),
        {"outcome": "used_in_action", "note": "  Cited against claim 1.  "},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == first.pk and body["rank"] == 1
    assert body["snapshot"] == first.snapshot
    assert body["decision"]["outcome"] == "used_in_action"
    assert body["decision"]["note"] == "Cited against claim 1."
    assert body["decision"]["decided_by"] == "examiner-x"
    case.refresh_from_db()
    assert case.status == CaseStatus.FORWARDED

    last = examiner.put(decision_url(second), {"outcome": "cumulative"}, format="json")
    assert last.status_code == 200
    assert last.json()["decision"]["note"] == ""
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    # Decisions can still be revised once the case is decided.
    revised = examiner.put(decision_url(second), {"outcome": "relevant"}, format="json")
    assert revised.status_code == 200
    assert revised.json()["decision"]["outcome"] == "relevant"


def test_the_same_decision_again_changes_nothing(people, forwarded):
    examiner = api(people["examiner-x"])
    item = forwarded.items.order_by("rank").first()
    body = {"outcome": "relevant", "note": "Cumulative with the 1998 manual."}
    first = examiner.put(decision_url(item), body, format="json")
    events = AuditEvent.objects.filter(action="examiner_decision").count()
    notices = Notification.objects.filter(recipient=item.prior_art.author).count()
    decided_at = DossierItem.objects.get(pk=item.pk).decided_at

    again = examiner.put(decision_url(item), body, format="json")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert AuditEvent.objects.filter(action="examiner_decision").count() == events
    assert Notification.objects.filter(recipient=item.prior_art.author).count() == (
        notices
    )
    assert DossierItem.objects.get(pk=item.pk).decided_at == decided_at


@pytest.mark.parametrize(
    "body, errors",
    [
        ({}, {"outcome": ["This field is required."]}),
        ({"outcome": "used"}, {"outcome": ['"used" is not a valid choice.']}),
        ({"outcome": ""}, {"outcome": ['"" is not a valid choice.']}),
        ({"outcome": None}, {"outcome": ["This field may not be null."]}),
        (
            {"outcome": "relevant", "note": "x" * 5001},
            {"note": ["Keep the note under 5,000 characters."]},
        ),
    ],
)
def test_bad_decisions_are_400_and_change_nothing(people, forwarded, body, errors):
    item = forwarded.items.order_by("rank").first()
    response = api(people["examiner-x"]).put(decision_url(item), body, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    item.refresh_from_db()
    assert (item.outcome, item.note, item.decided_at) == ("", "", None)
    assert not AuditEvent.objects.filter(action="examiner_decision").exists()


# --- Claim chart files ------------------------------------------------------------------


def test_claim_chart_csv(case, people, forwarded):
    response = api(people["examiner-x"]).get(f"{dossier_url(forwarded)}claim-chart.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="claim-chart-np-2025004417.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0][0] == "claim_number"
    refs = {row[3] for row in rows[1:]}
    assert {item.snapshot["tracking_ref"] for item in forwarded.items.all()} <= refs
    assert {row[0] for row in rows[1:]} == {"1", "2", "3"}


def test_claim_chart_pdf(case, people, forwarded):
    response = api(people["examiner-x"]).get(f"{dossier_url(forwarded)}claim-chart.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="claim-chart-np-2025004417.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def test_claim_chart_errors_are_json_whatever_the_client_accepts(
    case, people, forwarded
):
    for ext, accept in (("csv", "text/csv"), ("pdf", "application/pdf")):
        url = f"{dossier_url(forwarded)}claim-chart.{ext}"
        refused = api(people["reviewer-x"]).get(url, HTTP_ACCEPT=accept)
        assert refused.status_code == 404
        assert refused["Content-Type"] == "application/json"
        assert refused.json() == {"detail": "No such dossier."}
        assert api().get(url, HTTP_ACCEPT=accept).status_code == 401


# --- Query budgets ----------------------------------------------------------------------


def _forwarded_case(case_factory, people, n_items: int, tag: str) -> Dossier:
    case = case_factory("open", claims=2)
    case_services.case_appoint_reviewer(case=case, user=people["reviewer-x"])
    case_services.case_appoint_examiner(case=case, user=people["examiner-x"])
    for i in range(n_items):
        vetted(
            case,
            verified(f"dossier-author-{tag}-{i}"),
            people["reviewer-x"],
            f"Evidence {tag} {i}",
        )
    dossier = forward(case)
    for item in dossier.items.all()[: n_items // 2]:
        services.dossier_item_decide(
            item=item, actor=people["examiner-x"], outcome="relevant"
        )
    return dossier


def test_dossier_list_and_detail_run_a_constant_number_of_queries(case_factory, people):
    client = api(people["examiner-x"])
    small_dossier = _forwarded_case(case_factory, people, 2, "a")
    small_list, body = count_queries(client, DOSSIERS)
    assert body["count"] == 1
    small_detail, body = count_queries(client, dossier_url(small_dossier))
    assert len(body["items"]) == 2

    large_dossier = _forwarded_case(case_factory, people, 7, "b")
    _forwarded_case(case_factory, people, 3, "c")
    large_list, body = count_queries(client, DOSSIERS)
    assert body["count"] == 3
    large_detail, body = count_queries(client, dossier_url(large_dossier))
    assert len(body["items"]) == 7
    assert sum(item["decision"] is not None for item in body["items"]) == 3

    assert large_list == small_list <= 5
    assert large_detail == small_detail <= 4
