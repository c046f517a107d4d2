"""Contribution services: the rules every page and API call shares."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import Notification
from accounts.services import follow_set
from cases import services as case_services
from cases.models import Case
from submissions import services
from submissions.models import (
    Attachment,
    AuditEvent,
    ClaimMapping,
    PriorArt,
    PriorArtStatus,
    Vote,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"


def verified(username: str):
    user = UserFactory(username=username)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


@pytest.fixture
def alice(db):
    return verified("alice-v")


@pytest.fixture
def bob(db):
    return verified("bob-v")


@pytest.fixture
def open_case(case_factory):
    return case_factory("open", claims=3)


def data(**overrides):
    values = {
        "kind": "publication",
        "title": "Exhaust heat recovery with bismuth telluride modules",
        "authors": "K. Matsubara",
        "published_on": date(2001, 6, 1),
        "published_on_precision": "day",
        "identifier": "doi:10.1109/ICT.2001.979608",
        "url": "",
        "excerpt": "A thermoelectric generator mounted on the exhaust pipe charges the battery.",
        "relevance": "Shows every element of claim 1 twenty years before the priority date.",
    }
    values.update(overrides)
    return values


def mappings(*numbers):
    return [services.MappingInput(n, f"Explains claim {n}.") for n in numbers or (1,)]


def submit(case, author, files=None, **overrides):
    return services.prior_art_submit(
        case=case,
        author=author,
        data=data(**overrides),
        mappings=mappings(1, 2),
        files=files,
    )


def vet(prior_art):
    return services.prior_art_transition(
        prior_art=prior_art,
        actor=None,
        to=PriorArtStatus.VETTED,
        allowed_from={PriorArtStatus.SUBMITTED},
        action="vet",
    )


def test_submit_records_mappings_attachment_audit_and_a_tracking_reference(
    open_case, alice
):
    pa = submit(open_case, alice, files=[SimpleUploadedFile("paper.pdf", PDF)])
    assert pa.status == PriorArtStatus.SUBMITTED
    assert pa.tracking_ref.startswith("PA-") and len(pa.tracking_ref) == 12
    assert pa.identifier_key == "doi:10.1109/ict.2001.979608"
    assert [m.claim.number for m in pa.mappings.order_by("claim__number")] == [1, 2]
    [attachment] = pa.attachments.all()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "paper.pdf"
    assert not attachment.file.name.endswith("paper.pdf")  # stored under a random name
    assert Path(settings.PRIVATE_MEDIA_ROOT, attachment.file.name).read_bytes() == PDF
    [event] = AuditEvent.objects.filter(prior_art=pa)
    assert (event.action, event.to_status, event.actor) == (
        "submit",
        "submitted",
        alice,
    )


def test_first_submissions_wait_for_screening_until_one_is_vetted(open_case, alice):
    first = submit(open_case, alice)
    assert first.held_for_screening and not first.is_public
    second = submit(
        open_case, alice, identifier="", title="Another document entirely, new"
    )
    assert second.held_for_screening
    vet(first)
    third = submit(
        open_case, alice, identifier="", title="A third document of the same kind"
    )
    assert not third.held_for_screening and third.is_public


def test_screening_of_new_contributors_can_be_turned_off(open_case, alice, settings):
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    assert submit(open_case, alice).is_public


@pytest.mark.parametrize(
    "published_on, precision, after",
    [
        (None, "day", False),
        ("before", "day", False),
        ("after", "day", True),
        ("same_month_later_day", "month", False),  # could be before: not marked
        ("next_year", "year", True),
    ],
)
def test_evidence_dated_after_the_priority_date_is_accepted_and_marked(
    open_case, alice, published_on, precision, after
):
    priority = open_case.priority_date
    dates = {
        None: None,
        "before": priority - timedelta(days=1),
        "after": priority + timedelta(days=1),
        "same_month_later_day": priority.replace(day=28)
        if priority.day < 28
        else priority,
        "next_year": priority.replace(year=priority.year + 1, month=1, day=1),
    }
    pa = submit(
        open_case,
        alice,
        published_on=dates[published_on],
        published_on_precision=precision,
    )
    assert pa.after_priority_date is after


def test_unverified_accounts_and_closed_windows_cannot_submit(case_factory, alice):
    unverified = UserFactory(username="no-email")
    open_case = case_factory("open")
    with pytest.raises(PermissionDenied, match="Confirm your e-mail"):
        submit(open_case, unverified)
    for state in ("scheduled", "closed"):
        with pytest.raises(PermissionDenied, match="not open for review"):
            submit(case_factory(state), alice)
    assert not PriorArt.objects.exists()


def test_mappings_are_checked_before_anything_is_written(open_case, alice):
    with pytest.raises(ValidationError) as error:
        services.prior_art_submit(
            case=open_case, author=alice, data=data(), mappings=[]
        )
    assert "claims" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.prior_art_submit(
            case=open_case,
            author=alice,
            data=data(),
            mappings=[services.MappingInput(9, "no such claim")],
        )
    assert "Claim 9 is not a claim of this case." in error.value.message_dict["claims"]
    with pytest.raises(ValidationError) as error:
        services.prior_art_submit(
            case=open_case,
            author=alice,
            data=data(),
            mappings=[services.MappingInput(2, "  ")],
        )
    assert "explanation_2" in error.value.message_dict
    assert not PriorArt.objects.exists() and not ClaimMapping.objects.exists()


def test_a_bad_attachment_saves_nothing_at_all(open_case, alice):
    before = (
        set(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*"))
        if Path(settings.PRIVATE_MEDIA_ROOT).exists()
        else set()
    )
    with pytest.raises(ValidationError, match="not a PDF"):
        submit(
            open_case,
            alice,
            files=[
                SimpleUploadedFile("ok.pdf", PDF),
                SimpleUploadedFile("x.pdf", b"<html><script>"),
            ],
        )
    assert not PriorArt.objects.exists() and not Attachment.objects.exists()
    after = (
        set(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*"))
        if Path(settings.PRIVATE_MEDIA_ROOT).exists()
        else set()
    )
    assert {p for p in after - before if p.is_file()} == set()


def test_invalid_field_values_are_refused_with_messages(open_case, alice):
    with pytest.raises(ValidationError) as error:
        submit(open_case, alice, kind="rumour", url="javascript:alert(1)", relevance="")
    assert {"kind", "url", "relevance"} <= set(error.value.message_dict)
    assert not PriorArt.objects.exists()


def test_duplicates_by_identifier_or_near_identical_text(open_case, alice, bob):
    original = submit(open_case, alice, identifier="US 7,654,321 B2")
    assert list(services.find_duplicates(case=open_case, identifier="us7654321")) == [
        original
    ]
    assert list(
        services.find_duplicates(
            case=open_case,
            title=original.title.upper(),
            excerpt=original.excerpt + "  !",
        )
    ) == [original]
    assert not services.find_duplicates(
        case=open_case, identifier="US 1,111,111"
    ).exists()
    other_case = Case.objects.exclude(pk=open_case.pk).first()
    if other_case:
        assert not services.find_duplicates(
            case=other_case, identifier="us7654321"
        ).exists()


def test_author_edits_while_editable_and_needs_changes_returns_to_submitted(
    open_case, alice
):
    pa = submit(open_case, alice)
    services.prior_art_transition(
        prior_art=pa,
        actor=None,
        to=PriorArtStatus.NEEDS_CHANGES,
        allowed_from={PriorArtStatus.SUBMITTED},
        reason="Add the page number.",
        action="request_changes",
    )
    pa = services.prior_art_update(
        prior_art=pa,
        actor=alice,
        data={"excerpt": "Page 4: the generator..."},
        mappings=mappings(3),
    )
    assert pa.status == PriorArtStatus.SUBMITTED
    assert pa.excerpt == "Page 4: the generator..."
    assert [m.claim.number for m in pa.mappings.all()] == [3]
    actions = list(
        AuditEvent.objects.filter(prior_art=pa).values_list("action", "to_status")
    )
    assert actions == [
        ("submit", "submitted"),
        ("request_changes", "needs_changes"),
        ("edit", "submitted"),
    ]


def test_nobody_else_edits_and_nothing_changes_after_the_window(open_case, alice, bob):
    pa = submit(open_case, alice)
    with pytest.raises(PermissionDenied):
        services.prior_art_update(
            prior_art=pa, actor=bob, data={"title": "x"}, mappings=mappings()
        )
    Case.objects.filter(pk=open_case.pk).update(
        review_closes_at=timezone.now() - timedelta(seconds=1)
    )
    case_services.case_advance(case_id=open_case.pk)
    pa.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.prior_art_update(
            prior_art=pa, actor=alice, data={"title": "x"}, mappings=mappings()
        )
    with pytest.raises(PermissionDenied):
        services.prior_art_withdraw(prior_art=pa, actor=alice)


def test_withdraw_is_audited_and_final(open_case, alice):
    pa = services.prior_art_withdraw(
        prior_art=submit(open_case, alice), actor=alice, reason="Wrong case"
    )
    assert pa.status == PriorArtStatus.WITHDRAWN
    with pytest.raises(PermissionDenied):
        services.prior_art_withdraw(prior_art=pa, actor=alice)


def test_transition_refuses_a_wrong_source_state_and_notifies_the_author(
    open_case, alice
):
    pa = submit(open_case, alice)
    services.prior_art_transition(
        prior_art=pa,
        actor=None,
        to=PriorArtStatus.REJECTED,
        allowed_from={PriorArtStatus.SUBMITTED},
        reason="Published after the priority date.",
        action="reject",
    )
    with pytest.raises(ValidationError, match="rejected, so it cannot be"):
        vet(pa)
    notice = Notification.objects.get(recipient=alice)
    assert "Rejected" in notice.subject and "after the priority date" in notice.body


def test_ratings_once_per_person_changeable_never_own(open_case, alice, bob, settings):
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    pa = submit(open_case, alice)
    services.vote_set(prior_art=pa, voter=bob, rating=4)
    services.vote_set(prior_art=pa, voter=bob, rating=2)
    assert list(Vote.objects.values_list("voter__username", "rating")) == [("bob-v", 2)]
    with pytest.raises(PermissionDenied):
        services.vote_set(prior_art=pa, voter=alice, rating=5)
    for bad in (0, 6, "5", None, True):
        with pytest.raises(ValidationError):
            services.vote_set(prior_art=pa, voter=bob, rating=bad)


def test_enough_open_flags_hide_an_item(open_case, alice, settings):
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    settings.OPENDOCKET_FLAG_HIDE_THRESHOLD = 2
    pa = submit(open_case, alice)
    reporters = [verified(f"reporter{i}") for i in range(2)]
    services.flag_create(reporter=reporters[0], prior_art=pa, reason="spam")
    with pytest.raises(ValidationError, match="already reported"):
        services.flag_create(reporter=reporters[0], prior_art=pa, reason="spam")
    pa.refresh_from_db()
    assert pa.is_public
    services.flag_create(
        reporter=reporters[1], prior_art=pa, reason="abuse", details="rude"
    )
    pa.refresh_from_db()
    assert pa.hidden_by_flags and not pa.is_public
    assert (
        AuditEvent.objects.filter(prior_art=pa, action="hidden_by_flags").count() == 1
    )
    with pytest.raises(PermissionDenied):
        services.flag_create(reporter=alice, prior_art=pa, reason="spam")  # own item


def test_comments_thread_notify_and_moderation_hides_with_a_reason(
    open_case, alice, bob, reviewer
):
    claim = open_case.claims.get(number=2)
    root = services.comment_post(
        case=open_case, author=alice, body="Claim 2 is old news.", claim=claim
    )
    reply = services.comment_post(
        case=open_case, author=bob, body="Source?", parent=root
    )
    assert reply.claim == claim  # a reply stays on its parent's target
    assert Notification.objects.filter(
        recipient=alice, key=f"reply:{reply.pk}"
    ).exists()
    with pytest.raises(PermissionDenied):
        services.comment_hide(comment=reply, actor=alice, reason="I disagree")
    case_services.case_appoint_reviewer(case=open_case, user=reviewer)
    with pytest.raises(ValidationError):
        services.comment_hide(comment=reply, actor=reviewer, reason=" ")
    services.comment_hide(comment=reply, actor=reviewer, reason="Off topic")
    reply.refresh_from_db()
    assert reply.hidden and reply.body == "Source?"  # hidden, never deleted
    assert AuditEvent.objects.get(comment=reply).reason == "Off topic"


def test_comment_edits_only_by_the_author_within_the_window(
    open_case, alice, bob, settings
):
    comment = services.comment_post(case=open_case, author=alice, body="Typo hree")
    services.comment_edit(comment=comment, actor=alice, body="Typo here")
    with pytest.raises(PermissionDenied):
        services.comment_edit(comment=comment, actor=bob, body="mine now")
    settings.OPENDOCKET_COMMENT_EDIT_MINUTES = 0
    comment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.comment_edit(comment=comment, actor=alice, body="too late")


def test_followers_hear_of_new_public_evidence_but_not_the_author(
    open_case, alice, bob, settings
):
    settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = False
    follow_set(user=bob, case=open_case, follow=True)
    follow_set(user=alice, case=open_case, follow=True)
    pa = submit(open_case, alice)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == [
        "bob-v"
    ]
    assert pa.title[:40] in Notification.objects.get().subject


def test_the_audit_trail_is_append_only(open_case, alice):
    submit(open_case, alice)
    event = AuditEvent.objects.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
