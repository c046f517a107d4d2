"""Concurrency on the real database: threads with their own connections, released at the
same moment by a barrier.

Two forwards of one case leave one dossier; a forward interrupted midway leaves nothing
and a retry leaves one complete dossier; two last decisions move the case once; screening
racing a forward never lands in a forwarded case; two reviewers marking each other's
submission a duplicate cannot make a cycle. Where the overlap must be certain, one of our
own functions is wrapped to pause (it still runs) while its transaction holds its locks.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from cases import services as case_services
from cases.models import Case, CaseLogEntry, CaseStatus
from review import services
from review.models import Dossier, DossierItem, ForwardTrigger
from review.services import decisions, forwarding, screening
from submissions.models import AuditEvent, PriorArt, PriorArtStatus
from tests.factories import UserFactory
from tests.submissions.factories import close_case, make_prior_art, verified_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(*calls, timeout=60):
    """Run each call in its own thread, all released at once; return what each returned
    or raised. Each thread closes its own database connection."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def work(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a thread is stuck (a lock never released?)"
    return results


def paused(module, name, monkeypatch, seconds=0.3, started=None):
    """Wrap ``module.name`` so that each call runs, then pauses while its transaction
    keeps its locks; ``started`` (an Event) is set on the first call."""
    real = getattr(module, name)

    def slow(*args, **kwargs):
        result = real(*args, **kwargs)
        if started is not None:
            started.set()
        time.sleep(seconds)
        return result

    monkeypatch.setattr(module, name, slow)
    return real


@pytest.fixture
def closed(case_factory, settings):
    """A closed case with three vetted items and two reviewers. The grace period keeps
    the close-time task out of it: these tests forward by hand."""
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    settings.OPENDOCKET_FORWARD_GRACE_MINUTES = 60
    case = case_factory("open", claims=2)
    reviewers = [UserFactory(username=f"reviewer-{n}") for n in range(2)]
    for reviewer in reviewers:
        case_services.case_appoint_reviewer(case=case, user=reviewer)
    items = []
    for n in range(3):
        item = make_prior_art(case, verified_user(f"author-{n}"), title=f"Item {n}")
        items.append(services.prior_art_vet(prior_art=item, actor=reviewers[0]))
    waiting = make_prior_art(case, verified_user("late"), title="Unscreened")
    close_case(case)
    return SimpleNamespace(case=case, reviewers=reviewers, items=items, waiting=waiting)


def forwarded_entries(case):
    return CaseLogEntry.objects.filter(
        case_id=case.pk, action="opendocket.case.status", data__to="forwarded"
    ).count()


def assert_one_complete_dossier(setup):
    dossier = Dossier.objects.get()
    assert dossier.case_id == setup.case.pk and dossier.item_count == 3
    assert DossierItem.objects.filter(dossier=dossier).count() == 3
    assert set(
        PriorArt.objects.filter(pk__in=[i.pk for i in setup.items]).values_list(
            "status", flat=True
        )
    ) == {PriorArtStatus.FORWARDED}
    for item in setup.items:
        assert AuditEvent.objects.filter(prior_art=item, action="forward").count() == 1
    assert Case.objects.get(pk=setup.case.pk).status == CaseStatus.FORWARDED
    assert forwarded_entries(setup.case) == 1
    return dossier


def test_two_reviewers_forwarding_at_once_leave_one_dossier(closed, monkeypatch):
    paused(forwarding, "snapshot_of", monkeypatch, seconds=0.1)
    first, second = closed.reviewers
    results = run_together(
        lambda: services.case_forward(case_id=closed.case.pk, actor=first),
        lambda: services.case_forward(case_id=closed.case.pk, actor=second),
    )
    for result in results:
        assert not isinstance(result, BaseException), result
    dossier = assert_one_complete_dossier(closed)
    assert [d.pk for d, _created in results] == [dossier.pk, dossier.pk]
    assert sorted(created for _d, created in results) == [False, True]


def test_the_close_task_and_a_reviewer_racing_leave_one_dossier(closed, monkeypatch):
    paused(forwarding, "snapshot_of", monkeypatch, seconds=0.1)
    results = run_together(
        lambda: services.case_forward(
            case_id=closed.case.pk, actor=None, trigger=ForwardTrigger.CLOSE
        ),
        lambda: services.case_forward(
            case_id=closed.case.pk,
            actor=closed.reviewers[0],
            trigger=ForwardTrigger.REVIEWER,
        ),
    )
    for result in results:
        assert not isinstance(result, BaseException), result
    dossier = assert_one_complete_dossier(closed)
    assert {d.pk for d, _created in results} == {dossier.pk}
    winner = next(index for index, (_d, created) in enumerate(results) if created)
    assert (dossier.trigger, dossier.forwarded_by_id) == [
        (ForwardTrigger.CLOSE, None),
        (ForwardTrigger.REVIEWER, closed.reviewers[0].pk),
    ][winner]


@pytest.mark.parametrize("where", ["snapshot_of", "prior_art_transition"])
def test_a_forward_interrupted_midway_leaves_nothing_and_a_retry_completes_it(
    closed, monkeypatch, settings, where
):
    real = getattr(forwarding, where)
    calls = []

    def dies_on_the_second_item(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the worker died")
        return real(*args, **kwargs)

    monkeypatch.setattr(forwarding, where, dies_on_the_second_item)
    with pytest.raises(RuntimeError, match="the worker died"):
        services.case_forward(case_id=closed.case.pk, trigger=ForwardTrigger.CLOSE)

    assert not Dossier.objects.exists() and not DossierItem.objects.exists()
    assert set(
        PriorArt.objects.filter(pk__in=[i.pk for i in closed.items]).values_list(
            "status", flat=True
        )
    ) == {PriorArtStatus.VETTED}
    assert not AuditEvent.objects.filter(action="forward").exists()
    assert Case.objects.get(pk=closed.case.pk).status == CaseStatus.CLOSED

    monkeypatch.setattr(forwarding, where, real)
    settings.OPENDOCKET_FORWARD_GRACE_MINUTES = 0
    assert services.forward_due() == 1  # the sweep retries it, from scratch
    dossier = assert_one_complete_dossier(closed)
    assert sorted(dossier.items.values_list("rank", flat=True)) == [1, 2, 3]


def test_two_last_decisions_at_once_move_the_case_to_decided_once(closed, monkeypatch):
    examiner = UserFactory(username="examiner")
    case_services.case_appoint_examiner(case=closed.case, user=examiner)
    dossier, _ = services.case_forward(case_id=closed.case.pk, actor=None)
    first, second, third = dossier.items.order_by("rank")
    services.dossier_item_decide(item=first, actor=examiner, outcome="relevant")
    # Each decision pauses after recording its item, with its transaction still open.
    paused(decisions, "notify", monkeypatch)

    results = run_together(
        lambda: services.dossier_item_decide(
            item=second, actor=examiner, outcome="cumulative"
        ),
        lambda: services.dossier_item_decide(
            item=third, actor=examiner, outcome="not_relevant"
        ),
    )

    for result in results:
        assert not isinstance(result, BaseException), result
    assert Case.objects.get(pk=closed.case.pk).status == CaseStatus.DECIDED
    assert Dossier.objects.get(pk=dossier.pk).decided_at is not None
    assert (
        CaseLogEntry.objects.filter(
            case_id=closed.case.pk,
            action="opendocket.case.status",
            data__to="decided",
        ).count()
        == 1
    )
    assert not DossierItem.objects.filter(outcome="").exists()


def test_a_screening_decision_waits_for_a_running_forward_and_is_then_refused(
    closed, monkeypatch
):
    waiting = closed.waiting
    started = threading.Event()
    paused(forwarding, "snapshot_of", monkeypatch, started=started)

    def vet_once_the_forward_runs():
        assert started.wait(10)
        return services.prior_art_vet(prior_art=waiting, actor=closed.reviewers[1])

    forward, vet = run_together(
        lambda: services.case_forward(
            case_id=closed.case.pk, actor=closed.reviewers[0]
        ),
        vet_once_the_forward_runs,
    )

    assert not isinstance(forward, BaseException), forward
    assert isinstance(vet, PermissionDenied), vet
    assert "This case is forwarded" in str(vet)
    assert PriorArt.objects.get(pk=waiting.pk).status == PriorArtStatus.SUBMITTED
    assert not AuditEvent.objects.filter(prior_art=waiting, action="vet").exists()
    dossier = Dossier.objects.get()
    assert dossier.item_count == 3
    assert not dossier.items.filter(prior_art=waiting).exists()


def test_a_forward_waits_for_a_running_screening_decision_and_includes_it(
    closed, monkeypatch
):
    waiting = closed.waiting
    started = threading.Event()
    paused(screening, "prior_art_transition", monkeypatch, started=started)

    def forward_once_the_vet_runs():
        assert started.wait(10)
        return services.case_forward(case_id=closed.case.pk, actor=closed.reviewers[0])

    vet, forward = run_together(
        lambda: services.prior_art_vet(prior_art=waiting, actor=closed.reviewers[1]),
        forward_once_the_vet_runs,
    )

    assert not isinstance(vet, BaseException), vet
    assert not isinstance(forward, BaseException), forward
    dossier, created = forward
    assert created and dossier.item_count == 4
    assert dossier.items.filter(prior_art=waiting).exists()
    assert PriorArt.objects.get(pk=waiting.pk).status == PriorArtStatus.FORWARDED


def test_two_reviewers_marking_each_other_duplicate_cannot_make_a_cycle(
    case_factory, settings, monkeypatch
):
    settings.OPENDOCKET_FORWARD_GRACE_MINUTES = 60
    case = case_factory("open")
    alice, bob = UserFactory(username="alice-r"), UserFactory(username="bob-r")
    for reviewer in (alice, bob):
        case_services.case_appoint_reviewer(case=case, user=reviewer)
    x = make_prior_art(case, verified_user("x-author"), title="X")
    y = make_prior_art(case, verified_user("y-author"), title="Y")
    # Both look up the original's root before either takes a lock.
    gate = threading.Barrier(2)
    real_root_of = screening.root_of

    def root_then_wait(prior_art):
        root = real_root_of(prior_art)
        gate.wait(timeout=10)
        return root

    monkeypatch.setattr(screening, "root_of", root_then_wait)

    results = run_together(
        lambda: services.prior_art_mark_duplicate(prior_art=x, original=y, actor=alice),
        lambda: services.prior_art_mark_duplicate(prior_art=y, original=x, actor=bob),
    )

    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), results
    assert "itself marked a duplicate" in str(errors[0])
    rows = {p.pk: p for p in PriorArt.objects.filter(pk__in=[x.pk, y.pk])}
    duplicates = [p for p in rows.values() if p.status == PriorArtStatus.DUPLICATE]
    assert len(duplicates) == 1
    (duplicate,) = duplicates
    assert rows[duplicate.duplicate_of_id].duplicate_of_id is None
    assert AuditEvent.objects.filter(action="merge_duplicate").count() == 1


def test_two_reviewers_screening_one_case_at_once_take_turns_without_deadlock(
    case_factory, settings, monkeypatch
):
    settings.OPENDOCKET_FORWARD_GRACE_MINUTES = 60
    case = case_factory("open")
    alice, bob = UserFactory(username="alice-s"), UserFactory(username="bob-s")
    for reviewer in (alice, bob):
        case_services.case_appoint_reviewer(case=case, user=reviewer)
    p, q, r, rated = (
        make_prior_art(case, verified_user(f"{n}-author"), title=n) for n in "PQRS"
    )
    paused(screening, "prior_art_transition", monkeypatch, seconds=0.2)

    results = run_together(
        lambda: services.prior_art_vet(prior_art=p, actor=alice),
        lambda: services.prior_art_reject(prior_art=q, actor=bob, reason="Off topic."),
        lambda: services.reviewer_rating_set(prior_art=rated, reviewer=alice, rating=4),
        lambda: services.prior_art_request_changes(
            prior_art=r, actor=bob, reason="Add a page."
        ),
    )

    for result in results:
        assert not isinstance(result, BaseException), result
    statuses = dict(
        PriorArt.objects.filter(pk__in=[p.pk, q.pk, r.pk]).values_list(
            "title", "status"
        )
    )
    assert statuses == {"P": "vetted", "Q": "rejected", "R": "needs_changes"}
    assert rated.reviewer_ratings.get().rating == 4


def test_two_reviewers_deciding_one_submission_at_once_one_wins(
    case_factory, settings, monkeypatch
):
    settings.OPENDOCKET_FORWARD_GRACE_MINUTES = 60
    case = case_factory("open")
    alice, bob = UserFactory(username="alice-t"), UserFactory(username="bob-t")
    for reviewer in (alice, bob):
        case_services.case_appoint_reviewer(case=case, user=reviewer)
    item = make_prior_art(case, verified_user("t-author"), title="Contested")
    paused(screening, "prior_art_transition", monkeypatch, seconds=0.2)

    results = run_together(
        lambda: services.prior_art_vet(prior_art=item, actor=alice),
        lambda: services.prior_art_reject(prior_art=item, actor=bob, reason="No."),
    )

    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), results
    status = PriorArt.objects.get(pk=item.pk).status
    assert status in {PriorArtStatus.VETTED, PriorArtStatus.REJECTED}
    assert (
        AuditEvent.objects.filter(prior_art=item, action__in=["vet", "reject"]).count()
        == 1
    )
