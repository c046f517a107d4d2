"""Moderation by a case's reviewers and editors: deciding reports on submissions and
comments, and restoring hidden comments."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services as case_services
from review import services
from review.selectors import ranked_for_case
from submissions import services as submission_services
from submissions.models import AuditEvent, Comment, FlagStatus, PriorArt, PriorArtStatus
from tests.factories import UserFactory
from tests.submissions.factories import make_prior_art, set_state, verified_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(case_factory, reviewer, editor_a, examiner, settings):
    settings.OPENDOCKET_FLAG_HIDE_THRESHOLD = 2
    case = case_factory("open", claims=2)
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    case_services.case_appoint_examiner(case=case, user=examiner)
    return SimpleNamespace(
        case=case,
        reviewer=reviewer,
        editor=editor_a,
        examiner=examiner,
        author=verified_user("author"),
        reporters=[verified_user(f"reporter-{n}") for n in range(3)],
    )


def report(site, n=2, **target):
    for reporter in site.reporters[:n]:
        submission_services.flag_create(reporter=reporter, reason="spam", **target)
    for obj in target.values():
        obj.refresh_from_db()


def submission(site, state="submitted"):
    return set_state(make_prior_art(site.case, site.author), state)


def comment(site):
    return submission_services.comment_post(
        case=site.case, author=site.author, body="Buy cheap watches!"
    )


def flag_statuses(obj):
    return sorted(obj.flags.values_list("status", flat=True))


def test_upholding_reports_on_a_comment_hides_it_with_the_reason(site):
    target = comment(site)
    report(site, comment=target)
    assert target.hidden_by_flags

    decided = services.flags_resolve(
        actor=site.reviewer, decision="uphold", reason="Spam.", comment=target
    )

    target.refresh_from_db()
    assert decided == 2
    assert (target.hidden, target.hidden_reason, target.hidden_by_flags) == (
        True,
        "Spam.",
        False,
    )
    assert flag_statuses(target) == [FlagStatus.UPHELD] * 2
    event = AuditEvent.objects.get(comment=target, action="flags_uphold")
    assert event.actor_id == site.reviewer.pk
    assert event.reason.startswith("2 reports decided at ") and "Spam." in event.reason


def test_dismissing_reports_shows_a_comment_or_submission_again(site):
    target, item = comment(site), submission(site)
    report(site, comment=target)
    report(site, prior_art=item)
    assert target.hidden_by_flags and item.hidden_by_flags

    services.flags_resolve(actor=site.editor, decision="dismiss", comment=target)
    services.flags_resolve(actor=site.reviewer, decision="dismiss", prior_art=item)

    target.refresh_from_db()
    item.refresh_from_db()
    assert target.is_visible and not target.hidden
    assert not item.hidden_by_flags and item.status == PriorArtStatus.SUBMITTED
    assert flag_statuses(item) == [FlagStatus.DISMISSED] * 2
    assert AuditEvent.objects.filter(action="flags_dismiss").count() == 2


@pytest.mark.parametrize("state", ["submitted", "needs_changes"])
def test_a_reviewer_upholding_reports_on_unscreened_evidence_rejects_it(site, state):
    item = submission(site)
    report(site, n=1, prior_art=item)  # one report: not hidden yet
    set_state(item, state)  # changes requested since: no longer public, still open

    services.flags_resolve(
        actor=site.reviewer, decision="uphold", reason="Advertising.", prior_art=item
    )

    item.refresh_from_db()
    assert item.status == PriorArtStatus.REJECTED
    assert item.status_reason == "Advertising." and item.hidden_by_flags
    actions = list(
        AuditEvent.objects.filter(prior_art=item)
        .exclude(action__in=["submit", "test", "hidden_by_flags"])
        .values_list("action", "to_status")
    )
    assert actions == [("flags_uphold", ""), ("reject", "rejected")]


def test_a_reviewer_upholding_reports_on_vetted_evidence_keeps_it_out_of_the_ranking(
    site,
):
    item = submission(site)
    services.prior_art_vet(prior_art=item, actor=site.reviewer)
    report(site, n=1, prior_art=item)
    assert [r.prior_art.pk for r in ranked_for_case(site.case)] == [item.pk]

    services.flags_resolve(
        actor=site.reviewer, decision="uphold", reason="Confidential.", prior_art=item
    )

    item.refresh_from_db()
    assert item.status == PriorArtStatus.VETTED and item.hidden_by_flags
    assert ranked_for_case(site.case) == []


def test_an_editor_upholding_leaves_the_submission_hidden_without_rejecting_it(site):
    item = submission(site)
    report(site, prior_art=item)

    services.flags_resolve(
        actor=site.editor, decision="uphold", reason="Abusive.", prior_art=item
    )

    item.refresh_from_db()
    assert item.status == PriorArtStatus.SUBMITTED and item.hidden_by_flags
    assert not AuditEvent.objects.filter(prior_art=item, action="reject").exists()
    assert flag_statuses(item) == [FlagStatus.UPHELD] * 2


def test_deciding_without_open_reports_is_an_error_and_changes_nothing(site):
    item, target = submission(site), comment(site)
    for kwargs in ({"prior_art": item}, {"comment": target}):
        with pytest.raises(ValidationError, match="There are no open reports on this"):
            services.flags_resolve(actor=site.reviewer, decision="dismiss", **kwargs)
    report(site, n=1, prior_art=item)
    services.flags_resolve(actor=site.reviewer, decision="dismiss", prior_art=item)
    with pytest.raises(ValidationError, match="There are no open reports on this"):
        services.flags_resolve(
            actor=site.reviewer, decision="uphold", reason="Late.", prior_art=item
        )
    item.refresh_from_db()
    assert item.status == PriorArtStatus.SUBMITTED and not item.hidden_by_flags
    assert AuditEvent.objects.filter(action__startswith="flags_").count() == 1


def test_bad_requests_to_decide_reports_are_refused(site):
    item, target = submission(site), comment(site)
    report(site, n=1, prior_art=item)
    with pytest.raises(ValidationError):
        services.flags_resolve(actor=site.reviewer, decision="dismiss")
    with pytest.raises(ValidationError):
        services.flags_resolve(
            actor=site.reviewer, decision="dismiss", prior_art=item, comment=target
        )
    with pytest.raises(ValidationError) as caught:
        services.flags_resolve(actor=site.reviewer, decision="delete", prior_art=item)
    assert "decision" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.flags_resolve(
            actor=site.reviewer, decision="uphold", reason=" ", prior_art=item
        )
    assert "reason" in caught.value.message_dict
    assert flag_statuses(item) == [FlagStatus.OPEN]


def test_only_reviewers_and_editors_of_the_case_moderate(site, case_factory, agency_b):
    item, target = submission(site), comment(site)
    report(site, n=1, prior_art=item)
    report(site, n=1, comment=target)
    submission_services.comment_hide(
        comment=target, actor=site.reviewer, reason="Spam."
    )
    other_reviewer = UserFactory(username="other-reviewer")
    case_services.case_appoint_reviewer(
        case=case_factory("open", agency=agency_b), user=other_reviewer
    )
    for outsider in (site.examiner, other_reviewer, site.author, site.reporters[0]):
        with pytest.raises(PermissionDenied, match="Only reviewers and editors"):
            services.flags_resolve(actor=outsider, decision="dismiss", prior_art=item)
        with pytest.raises(PermissionDenied, match="Only reviewers and editors"):
            services.comment_restore(comment=target, actor=outsider)
    assert flag_statuses(item) == [FlagStatus.OPEN]
    assert Comment.objects.get(pk=target.pk).hidden


def test_a_hidden_comment_is_restored_and_the_hiding_stays_in_the_trail(site):
    target = comment(site)
    submission_services.comment_hide(
        comment=target, actor=site.reviewer, reason="Off topic."
    )

    restored = services.comment_restore(
        comment=target, actor=site.editor, reason="  It was on topic. "
    )

    assert not restored.hidden and restored.hidden_reason == ""
    assert Comment.objects.get(pk=target.pk).is_visible
    trail = list(
        AuditEvent.objects.filter(comment=target).values_list(
            "action", "actor", "reason"
        )
    )
    assert trail[-2:] == [
        ("comment_hide", site.reviewer.pk, "Off topic."),
        ("comment_restore", site.editor.pk, "It was on topic."),
    ]
    with pytest.raises(ValidationError, match="This comment is not hidden"):
        services.comment_restore(comment=target, actor=site.reviewer)
    assert AuditEvent.objects.filter(action="comment_restore").count() == 1


def test_moderation_outlives_the_screening_window(site):
    """Reports can arrive until the end: a reviewer of a forwarded case still decides
    them (the submission is no longer screenable, so it is hidden, not rejected)."""
    item = submission(site)
    services.prior_art_vet(prior_art=item, actor=site.reviewer)
    report(site, n=1, prior_art=item)
    services.case_forward(case_id=site.case.pk, actor=site.reviewer)
    item.refresh_from_db()
    assert item.status == PriorArtStatus.FORWARDED

    services.flags_resolve(
        actor=site.reviewer, decision="uphold", reason="Copyright.", prior_art=item
    )

    assert PriorArt.objects.get(pk=item.pk).hidden_by_flags
    assert PriorArt.objects.get(pk=item.pk).status == PriorArtStatus.FORWARDED
