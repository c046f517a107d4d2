"""Forwarding: the top vetted evidence becomes the case's one dossier, snapshotted.

Through ``review.services.case_forward`` and ``forward_due`` (and the task wrappers run in
process) on the real database: what the dossier holds, what happens to the submissions and
the case, who is told, who may forward what, and the periodic sweep.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from cases import services as case_services
from cases.models import Case, CaseStatus
from review import services, tasks
from review.models import Dossier, DossierItem, ForwardTrigger
from review.selectors import ranked_for_case
from review.services import forwarding
from submissions import services as submission_services
from submissions.models import AuditEvent, ClaimMapping, PriorArt, PriorArtStatus
from tests.factories import UserFactory
from tests.submissions.factories import (
    close_case,
    make_prior_art,
    set_state,
    verified_user,
)

pytestmark = pytest.mark.django_db

SNAPSHOT_KEYS = {
    "tracking_ref",
    "kind",
    "kind_label",
    "title",
    "authors",
    "published_on",
    "published_on_precision",
    "after_priority_date",
    "identifier",
    "url",
    "excerpt",
    "relevance",
    "mappings",
    "contributor",
    "submitted_at",
    "rank",
    "score",
}


def vetted(case, reviewer, username, title, claims=(1,), **data):
    item = make_prior_art(
        case, verified_user(username), claims=claims, title=title, **data
    )
    return services.prior_art_vet(prior_art=item, actor=reviewer)


def rate(item, prefix, ratings):
    for n, rating in enumerate(ratings):
        submission_services.vote_set(
            prior_art=item, voter=verified_user(f"{prefix}-{n}"), rating=rating
        )


@pytest.fixture
def ready(case_factory, reviewer, examiner, settings):
    """A closed case (forward limit 2) with three vetted items of known scores, one
    still waiting for screening and one rejected; a reviewer and an examiner."""
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    case = case_factory("open", claims=3)
    Case.objects.filter(pk=case.pk).update(forward_limit=2)
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    case_services.case_appoint_examiner(case=case, user=examiner)
    top = vetted(
        case,
        reviewer,
        "ann",
        "Thermoelectric exhaust generator (1998)",
        claims=(1, 2),
        authors="K. Ito",
        published_on=date(1998, 3, 1),
        identifier="US 5,000,001",
        excerpt="A Peltier stack on the exhaust manifold.",
    )
    second = vetted(case, reviewer, "ben", "Waste heat survey", claims=(2,))
    third = vetted(case, reviewer, "cy", "Unrated brochure", claims=(3,))
    rate(top, "top-voter", [5, 5, 5])  # (15 + 15) / 8 = 3.75
    rate(second, "second-voter", [4, 4])  # (15 + 8) / 7 = 3.29
    waiting = make_prior_art(case, verified_user("dee"), title="Not yet screened")
    rejected = set_state(
        make_prior_art(case, verified_user("eve"), title="Rejected"), "rejected"
    )
    close_case(case)
    return SimpleNamespace(
        case=case,
        reviewer=reviewer,
        examiner=examiner,
        top=top,
        second=second,
        third=third,
        waiting=waiting,
        rejected=rejected,
    )


def status_of(item):
    return PriorArt.objects.values_list("status", flat=True).get(pk=item.pk)


def test_the_top_items_by_rank_become_the_dossier_with_their_snapshot(ready):
    expected = ranked_for_case(ready.case)[:2]

    dossier, created = services.case_forward(
        case_id=ready.case.pk, actor=ready.reviewer
    )

    assert created
    assert (dossier.case_id, dossier.trigger, dossier.forwarded_by_id) == (
        ready.case.pk,
        ForwardTrigger.REVIEWER,
        ready.reviewer.pk,
    )
    assert dossier.item_count == 2 and dossier.decided_at is None
    items = list(dossier.items.order_by("rank"))
    assert [(i.rank, i.prior_art_id) for i in items] == [
        (1, ready.top.pk),
        (2, ready.second.pk),
    ]
    assert [i.score for i in items] == [r.score.total for r in expected]
    first = items[0].snapshot
    assert set(first) == SNAPSHOT_KEYS
    assert first["tracking_ref"] == ready.top.tracking_ref
    assert first["title"] == "Thermoelectric exhaust generator (1998)"
    assert (first["kind"], first["kind_label"]) == (
        "publication",
        "Publication (paper, book, thesis)",
    )
    assert (first["authors"], first["published_on"], first["identifier"]) == (
        "K. Ito",
        "1998-03-01",
        "US 5,000,001",
    )
    assert first["excerpt"] == "A Peltier stack on the exhaust manifold."
    assert first["relevance"] == ready.top.relevance
    assert first["mappings"] == [
        {
            "claim_number": n,
            "claim_text": f"Claim {n} text: a thermoelectric module coupled to the exhaust.",
            "explanation": f"Claim {n} is shown in section {n}.",
        }
        for n in (1, 2)
    ]
    assert first["contributor"] == "ann"
    assert first["submitted_at"] == ready.top.created_at.isoformat()
    assert first["rank"] == 1
    assert first["score"] == {
        "total": 3.75,
        "community": 3.75,
        "ratings": 3,
        "reviewer": None,
        "reviewer_ratings": 0,
    }
    assert items[1].snapshot["contributor"] == "ben"
    assert items[1].snapshot["score"]["total"] == round(23 / 7, 4)


def test_forwarding_moves_the_evidence_and_the_case_and_tells_everyone(ready):
    dossier, _ = services.case_forward(case_id=ready.case.pk, actor=ready.reviewer)

    assert status_of(ready.top) == status_of(ready.second) == PriorArtStatus.FORWARDED
    assert status_of(ready.third) == PriorArtStatus.VETTED  # past the forward limit
    assert status_of(ready.waiting) == PriorArtStatus.SUBMITTED
    assert status_of(ready.rejected) == PriorArtStatus.REJECTED
    events = AuditEvent.objects.filter(action="forward").order_by("prior_art_id")
    assert [
        (e.prior_art_id, e.from_status, e.to_status, e.actor_id, e.reason)
        for e in events
    ] == [
        (
            ready.top.pk,
            "vetted",
            "forwarded",
            ready.reviewer.pk,
            "Forwarded to the examiner at rank 1 of 2.",
        ),
        (
            ready.second.pk,
            "vetted",
            "forwarded",
            ready.reviewer.pk,
            "Forwarded to the examiner at rank 2 of 2.",
        ),
    ]
    ready.case.refresh_from_db()
    assert ready.case.status == CaseStatus.FORWARDED

    examiner_note = Notification.objects.get(recipient=ready.examiner)
    assert examiner_note.subject == f"Evidence forwarded for {ready.case.reference}"
    assert "2 items of prior art" in examiner_note.body
    assert examiner_note.url == reverse("review:dossier", kwargs={"pk": dossier.pk})
    told = set(
        Notification.objects.filter(
            subject__contains="is now: Forwarded to the examiner"
        ).values_list("recipient__username", flat=True)
    )
    assert told == {"ann", "ben"}
    assert not Notification.objects.filter(recipient=ready.reviewer).exists()


def test_forwarding_again_returns_the_same_dossier_and_changes_nothing(ready):
    dossier, created = services.case_forward(
        case_id=ready.case.pk, actor=ready.reviewer
    )
    counts = (AuditEvent.objects.count(), Notification.objects.count())

    again, created_again = services.case_forward(
        case_id=ready.case.pk, actor=ready.reviewer
    )
    by_system, created_by_system = services.case_forward(
        case_id=ready.case.pk, trigger=ForwardTrigger.CLOSE
    )

    assert created and not created_again and not created_by_system
    assert again.pk == by_system.pk == dossier.pk
    assert Dossier.objects.count() == 1 and DossierItem.objects.count() == 2
    assert (AuditEvent.objects.count(), Notification.objects.count()) == counts


def test_only_the_cases_reviewers_forward_and_others_learn_nothing(
    ready, case_factory, agency_b, editor_a
):
    other_reviewer = UserFactory(username="other-reviewer")
    case_services.case_appoint_reviewer(
        case=case_factory("open", agency=agency_b), user=other_reviewer
    )
    outsiders = (
        ready.examiner,
        editor_a,
        other_reviewer,
        verified_user("contributor-x"),
    )
    for outsider in outsiders:
        with pytest.raises(PermissionDenied, match="Only the reviewers of this case"):
            services.case_forward(case_id=ready.case.pk, actor=outsider)
    assert not Dossier.objects.exists()
    assert status_of(ready.top) == PriorArtStatus.VETTED

    services.case_forward(case_id=ready.case.pk, actor=ready.reviewer)
    for outsider in outsiders:  # not even the existing dossier
        with pytest.raises(PermissionDenied, match="Only the reviewers of this case"):
            services.case_forward(case_id=ready.case.pk, actor=outsider)


def test_an_area_reviewer_may_forward_an_open_case_early(case_factory, settings):
    from tests.factories import TechnologyAreaFactory

    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    area = TechnologyAreaFactory(name="Heat", slug="heat")
    case = case_factory("open", areas=[area])
    area_reviewer = UserFactory(username="area-reviewer")
    case_services.area_appoint_reviewer(area=area, user=area_reviewer)
    item = vetted(case, area_reviewer, "early", "Early evidence")
    dossier, created = services.case_forward(case_id=case.pk, actor=area_reviewer)
    assert created and dossier.item_count == 1
    assert status_of(item) == PriorArtStatus.FORWARDED


def test_a_case_without_vetted_evidence_gets_an_empty_dossier_and_is_decided(
    case_factory, reviewer, examiner
):
    case = case_factory("closed")
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    case_services.case_appoint_examiner(case=case, user=examiner)

    dossier, created = services.case_forward(case_id=case.pk, actor=reviewer)

    assert created and dossier.item_count == 0 and not dossier.items.exists()
    dossier.refresh_from_db()
    assert dossier.decided_at == dossier.forwarded_at
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert Notification.objects.filter(recipient=examiner).count() == 1


def _unpublished_open(case_factory):
    case = case_factory("open")
    Case.objects.filter(pk=case.pk).update(live=False)
    return case


def _withdrawn(case_factory):
    case = case_factory("open")
    case.unpublish()
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    return case


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda f: f("draft"), "This case is not published"),
        (lambda f: f("scheduled"), "not when it is scheduled"),
        (_unpublished_open, "This case is not published"),
        (_withdrawn, "This case is not published"),
    ],
    ids=["draft", "scheduled", "open-but-unpublished", "withdrawn"],
)
def test_forwarding_is_refused_for_a_case_that_is_not_open_or_closed(
    case_factory, reviewer, make, message
):
    case = make(case_factory)
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    with pytest.raises(PermissionDenied, match=message):
        services.case_forward(case_id=case.pk, actor=reviewer)
    with pytest.raises(ValidationError, match=message):  # the system asking
        services.case_forward(case_id=case.pk, trigger=ForwardTrigger.CLOSE)
    assert not Dossier.objects.exists()
    assert Case.objects.get(pk=case.pk).status == case.status


def test_an_unknown_trigger_is_refused(ready):
    with pytest.raises(ValidationError):
        services.case_forward(case_id=ready.case.pk, actor=ready.reviewer, trigger="x")
    assert not Dossier.objects.exists()


def test_the_snapshot_does_not_follow_later_edits_of_the_evidence(ready):
    dossier, _ = services.case_forward(case_id=ready.case.pk, actor=ready.reviewer)
    before = {i.pk: i.snapshot for i in dossier.items.all()}

    PriorArt.objects.filter(pk=ready.top.pk).update(
        title="Rewritten title", relevance="Rewritten", excerpt="Rewritten"
    )
    ClaimMapping.objects.filter(prior_art=ready.top).update(explanation="Rewritten")
    type(ready.top.author).objects.filter(pk=ready.top.author_id).update(
        username="renamed"
    )

    after = {i.pk: i.snapshot for i in DossierItem.objects.filter(dossier=dossier)}
    assert after == before
    assert after[dossier.items.get(rank=1).pk]["title"] == (
        "Thermoelectric exhaust generator (1998)"
    )
    assert after[dossier.items.get(rank=1).pk]["contributor"] == "ann"


# --- The periodic sweep and the tasks -------------------------------------------------


def test_forward_due_forwards_only_closed_cases_past_the_grace_period(
    case_factory, settings
):
    settings.OPENDOCKET_FORWARD_GRACE_MINUTES = 30
    now = timezone.now()
    due = case_factory("closed")  # closed five days ago
    in_grace = case_factory("closed")
    Case.objects.filter(pk=in_grace.pk).update(
        review_closes_at=now - timedelta(minutes=10)
    )
    still_open = case_factory("open")
    already = case_factory("closed")
    services.case_forward(case_id=already.pk, trigger=ForwardTrigger.CLOSE)
    assert list(services.cases_due_for_forwarding(now)) == [due]

    assert services.forward_due(now) == 1

    assert set(Dossier.objects.values_list("case_id", flat=True)) == {
        due.pk,
        already.pk,
    }
    assert Dossier.objects.get(case=due).trigger == ForwardTrigger.CLOSE
    assert Dossier.objects.get(case=due).forwarded_by is None
    assert Case.objects.get(pk=still_open.pk).status == CaseStatus.OPEN
    assert Case.objects.get(pk=in_grace.pk).status == CaseStatus.CLOSED
    # Once the grace period is over, the next sweep takes it.
    assert services.forward_due(now + timedelta(minutes=21)) == 1
    assert Dossier.objects.filter(case=in_grace).exists()
    assert services.forward_due(now + timedelta(minutes=21)) == 0


def test_one_failing_case_does_not_hold_back_the_sweep(
    case_factory, settings, monkeypatch, caplog
):
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    reviewer = UserFactory(username="sweep-reviewer")
    broken, fine = case_factory("open"), case_factory("open")
    for case in (broken, fine):
        case_services.case_appoint_reviewer(case=case, user=reviewer)
        vetted(case, reviewer, f"author-{case.pk}", f"Evidence on {case.pk}")
        close_case(case)
    real = forwarding.snapshot_of

    def snapshot_or_fail(ranked):
        if ranked.prior_art.case_id == broken.pk:
            raise RuntimeError("disk full")
        return real(ranked)

    monkeypatch.setattr(forwarding, "snapshot_of", snapshot_or_fail)
    with caplog.at_level(logging.ERROR, logger="review.services.forwarding"):
        assert services.forward_due() == 1
    assert f"Forwarding case {broken.pk} failed; will retry" in caplog.text
    assert list(Dossier.objects.values_list("case_id", flat=True)) == [fine.pk]
    assert Case.objects.get(pk=broken.pk).status == CaseStatus.CLOSED

    monkeypatch.setattr(forwarding, "snapshot_of", real)
    assert services.forward_due() == 1
    assert Dossier.objects.get(case=broken).item_count == 1


def test_the_tasks_forward_once_and_give_up_quietly_on_a_withdrawn_case(
    case_factory,
):
    closed = case_factory("closed")
    first = tasks.forward_case(closed.pk)
    assert first == Dossier.objects.get(case=closed).pk
    assert tasks.forward_case(closed.pk) == first
    assert tasks.forward_case(_withdrawn(case_factory).pk) is None
    assert tasks.forward_case(987654321) is None
    assert tasks.forward_due() == 0
