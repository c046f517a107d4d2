"""A dossier is what the examiner received: the database itself refuses to change a
snapshot, a rank or a score, or to delete anything. Only the decision columns change."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cases import services as case_services
from review import services
from review.models import Dossier, DossierItem, Outcome
from tests.submissions.factories import close_case, make_prior_art, verified_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(case_factory, reviewer, examiner, settings):
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    case = case_factory("open", claims=2)
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    case_services.case_appoint_examiner(case=case, user=examiner)
    for n in range(2):
        item = make_prior_art(case, verified_user(f"author-{n}"), title=f"Item {n}")
        services.prior_art_vet(prior_art=item, actor=reviewer)
    close_case(case)
    dossier, _ = services.case_forward(case_id=case.pk, actor=reviewer)
    return dossier


def refused(queryset, **changes) -> str:
    """Run ``changes`` as one UPDATE in a savepoint; return the database's error."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        queryset.update(**changes)
    return str(caught.value)


@pytest.mark.parametrize(
    "field", ["snapshot", "rank", "score", "prior_art_id", "dossier_id"]
)
def test_an_items_snapshot_rank_score_and_evidence_cannot_change(
    dossier, case_factory, field
):
    item, other_item = dossier.items.get(rank=1), dossier.items.get(rank=2)
    if field == "dossier_id":
        other, _ = services.case_forward(
            case_id=case_factory("closed").pk, trigger="close"
        )
    value = {
        "snapshot": {**item.snapshot, "title": "Something else"},
        "rank": 9,
        "score": 5.0,
        "prior_art_id": other_item.prior_art_id,
        "dossier_id": other.pk if field == "dossier_id" else None,
    }[field]
    message = refused(DossierItem.objects.filter(pk=item.pk), **{field: value})
    assert "a dossier item is immutable" in message
    fresh = DossierItem.objects.get(pk=item.pk)
    assert (
        fresh.snapshot,
        fresh.rank,
        fresh.score,
        fresh.prior_art_id,
        fresh.dossier_id,
    ) == (item.snapshot, item.rank, item.score, item.prior_art_id, item.dossier_id)


@pytest.mark.parametrize(
    "changes",
    [
        {"forwarded_at": timezone.now()},
        {"item_count": 1},
        {"trigger": "close"},
        {"forwarded_by_id": None},
    ],
    ids=["forwarded_at", "item_count", "trigger", "forwarded_by"],
)
def test_the_dossiers_own_record_cannot_change(dossier, changes):
    message = refused(Dossier.objects.filter(pk=dossier.pk), **changes)
    assert "only decided_at may change" in message
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.forwarded_at, fresh.item_count, fresh.trigger) == (
        dossier.forwarded_at,
        dossier.item_count,
        dossier.trigger,
    )


def test_nothing_of_a_dossier_can_be_deleted(dossier, case_factory):
    item = dossier.items.get(rank=1)
    for table, pk in (("review_dossieritem", item.pk), ("review_dossier", dossier.pk)):
        # Plain SQL, past Django's own PROTECT checks: the trigger is the guard.
        with (
            pytest.raises(DatabaseError, match="DELETE on"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        DossierItem.objects.filter(dossier=dossier).delete()
    empty, _ = services.case_forward(case_id=case_factory("closed").pk, trigger="close")
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        empty.delete()  # no items protect it: the trigger refuses
    assert DossierItem.objects.filter(dossier=dossier).count() == 2
    assert Dossier.objects.filter(pk__in=[dossier.pk, empty.pk]).count() == 2


def test_the_decision_columns_and_decided_at_can_be_written(dossier, examiner):
    item = dossier.items.get(rank=1)
    now = timezone.now()
    item.outcome, item.note = Outcome.RELEVANT, "Anticipates claim 1."
    item.decided_by, item.decided_at = examiner, now
    item.save(update_fields=["outcome", "note", "decided_by", "decided_at"])
    item.note = "Anticipates claims 1 and 2."
    item.save()  # a full save rewrites the same snapshot, rank and score: allowed
    Dossier.objects.filter(pk=dossier.pk).update(decided_at=now)

    fresh = DossierItem.objects.get(pk=item.pk)
    assert (fresh.outcome, fresh.note, fresh.decided_by_id) == (
        "relevant",
        "Anticipates claims 1 and 2.",
        examiner.pk,
    )
    assert Dossier.objects.get(pk=dossier.pk).decided_at == now


def test_a_decision_without_its_date_is_refused(dossier):
    with pytest.raises(DatabaseError), transaction.atomic():
        DossierItem.objects.filter(dossier=dossier).update(outcome="relevant")


def test_the_examiners_decision_service_writes_through_the_triggers(dossier, examiner):
    for item in dossier.items.all():
        services.dossier_item_decide(
            item=item, actor=examiner, outcome=Outcome.CUMULATIVE, note="Seen before."
        )
    dossier.refresh_from_db()
    assert dossier.decided_at is not None
    assert set(dossier.items.values_list("outcome", flat=True)) == {"cumulative"}
