"""The examiner's decisions on forwarded evidence: each outcome, revising one, who may
decide, and the case moving to ``decided`` exactly once when the last item is decided."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Notification
from cases import services as case_services
from cases.models import CaseLogEntry, CaseStatus
from review import services
from review.models import Dossier, DossierItem, Outcome
from submissions.models import AuditEvent
from tests.factories import UserFactory
from tests.submissions.factories import close_case, make_prior_art, verified_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def forwarded(case_factory, reviewer, examiner, settings):
    """A forwarded case with two items, by ann (rank 1) and ben (rank 2)."""
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    case = case_factory("open", claims=2)
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    case_services.case_appoint_examiner(case=case, user=examiner)
    authors = [verified_user("ann"), verified_user("ben")]
    for author in authors:
        item = make_prior_art(case, author, title=f"Evidence by {author.username}")
        services.prior_art_vet(prior_art=item, actor=reviewer)
    close_case(case)
    dossier, _ = services.case_forward(case_id=case.pk, actor=reviewer)
    first, second = dossier.items.order_by("rank")
    Notification.objects.all().delete()  # only what the decisions send, below
    return SimpleNamespace(
        case=case,
        dossier=dossier,
        first=first,
        second=second,
        examiner=examiner,
        reviewer=reviewer,
        authors=authors,
    )


def decided_entries(case):
    return CaseLogEntry.objects.filter(
        case_id=case.pk, action="opendocket.case.status", data__to="decided"
    ).count()


@pytest.mark.parametrize("outcome", Outcome.values)
def test_each_outcome_is_recorded_audited_and_told_to_the_contributor(
    forwarded, outcome
):
    item = services.dossier_item_decide(
        item=forwarded.first,
        actor=forwarded.examiner,
        outcome=outcome,
        note="  Compared with claim 1.  ",
    )

    fresh = DossierItem.objects.get(pk=forwarded.first.pk)
    assert (fresh.outcome, fresh.note, fresh.decided_by_id) == (
        outcome,
        "Compared with claim 1.",
        forwarded.examiner.pk,
    )
    assert fresh.decided_at is not None and item.decided_at == fresh.decided_at
    event = AuditEvent.objects.get(action="examiner_decision")
    assert (
        event.prior_art_id,
        event.actor_id,
        event.from_status,
        event.to_status,
        event.reason,
    ) == (
        forwarded.first.prior_art_id,
        forwarded.examiner.pk,
        "",
        outcome,
        "Compared with claim 1.",
    )
    note = Notification.objects.get()
    assert note.recipient == forwarded.authors[0]
    ref = forwarded.first.prior_art.tracking_ref
    assert note.subject == (
        f"The examiner's decision on {ref}: {Outcome(outcome).label}"
    )
    assert note.body == "Compared with claim 1."
    forwarded.case.refresh_from_db()
    assert forwarded.case.status == CaseStatus.FORWARDED  # one item still open


def test_a_decision_without_a_note_explains_itself(forwarded):
    services.dossier_item_decide(
        item=forwarded.first, actor=forwarded.examiner, outcome="not_relevant"
    )
    assert Notification.objects.get().body == (
        'The examiner decided that "Evidence by ann" is: Not relevant.'
    )


def test_revising_a_decision_is_audited_and_told_again(forwarded):
    services.dossier_item_decide(
        item=forwarded.first, actor=forwarded.examiner, outcome="relevant"
    )
    services.dossier_item_decide(
        item=forwarded.first,
        actor=forwarded.examiner,
        outcome="used_in_action",
        note="Cited in the first action.",
    )
    events = list(
        AuditEvent.objects.filter(action="examiner_decision").values_list(
            "from_status", "to_status"
        )
    )
    assert events == [("", "relevant"), ("relevant", "used_in_action")]
    assert Notification.objects.filter(recipient=forwarded.authors[0]).count() == 2
    assert DossierItem.objects.get(pk=forwarded.first.pk).outcome == "used_in_action"


def test_the_same_decision_twice_changes_nothing(forwarded):
    first = services.dossier_item_decide(
        item=forwarded.first, actor=forwarded.examiner, outcome="relevant", note="Yes."
    )
    again = services.dossier_item_decide(
        item=forwarded.first,
        actor=forwarded.examiner,
        outcome="relevant",
        note=" Yes. ",
    )
    assert again.decided_at == first.decided_at
    assert AuditEvent.objects.filter(action="examiner_decision").count() == 1
    assert Notification.objects.count() == 1


@pytest.mark.parametrize(
    ("outcome", "note", "field"),
    [
        ("approved", "", "outcome"),
        ("", "", "outcome"),
        (None, "", "outcome"),
        ("relevant", "x" * 5001, "note"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(forwarded, outcome, note, field):
    with pytest.raises(ValidationError) as caught:
        services.dossier_item_decide(
            item=forwarded.first, actor=forwarded.examiner, outcome=outcome, note=note
        )
    assert field in caught.value.message_dict
    assert DossierItem.objects.get(pk=forwarded.first.pk).outcome == ""
    assert not AuditEvent.objects.filter(action="examiner_decision").exists()


def test_only_the_cases_examiner_decides(forwarded, case_factory, editor_a, admin_user):
    other_examiner = UserFactory(username="other-examiner")
    case_services.case_appoint_examiner(
        case=case_factory("closed"), user=other_examiner
    )
    for outsider in (
        other_examiner,
        forwarded.reviewer,
        forwarded.authors[0],
        editor_a,
        AnonymousUser(),
    ):
        with pytest.raises(PermissionDenied, match="Only the examiner of this case"):
            services.dossier_item_decide(
                item=forwarded.first, actor=outsider, outcome="relevant"
            )
        # The permission comes before the input: an outsider learns nothing from it.
        with pytest.raises(PermissionDenied):
            services.dossier_item_decide(
                item=forwarded.first, actor=outsider, outcome="nonsense"
            )
    assert not AuditEvent.objects.filter(action="examiner_decision").exists()
    services.dossier_item_decide(
        item=forwarded.first, actor=admin_user, outcome="relevant"
    )


def test_the_last_decision_moves_the_case_to_decided_exactly_once(forwarded):
    services.dossier_item_decide(
        item=forwarded.first, actor=forwarded.examiner, outcome="relevant"
    )
    assert Dossier.objects.get(pk=forwarded.dossier.pk).decided_at is None
    assert decided_entries(forwarded.case) == 0

    last = services.dossier_item_decide(
        item=forwarded.second, actor=forwarded.examiner, outcome="cumulative"
    )

    forwarded.case.refresh_from_db()
    dossier = Dossier.objects.get(pk=forwarded.dossier.pk)
    assert forwarded.case.status == CaseStatus.DECIDED
    assert dossier.decided_at == last.decided_at
    assert decided_entries(forwarded.case) == 1

    # Revising a decision on a decided case keeps it decided, once.
    services.dossier_item_decide(
        item=forwarded.first, actor=forwarded.examiner, outcome="used_in_action"
    )
    assert Dossier.objects.get(pk=dossier.pk).decided_at == dossier.decided_at
    assert decided_entries(forwarded.case) == 1
    forwarded.case.refresh_from_db()
    assert forwarded.case.status == CaseStatus.DECIDED
