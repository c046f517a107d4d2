"""The reviewers' moderation and ranking pages: reports (uphold, dismiss), hidden
comments (restore), the ranking board with its cut line and claim coverage, and the
Forward button (one dossier, however often it is pressed)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services as case_services
from cases.models import Case, CaseStatus
from review import services
from review.models import Dossier
from submissions import services as submission_services
from submissions.models import Comment, Flag, FlagStatus, PriorArt, PriorArtStatus
from tests.submissions.factories import (
    close_case,
    login,
    make_prior_art,
    relaxed_limits_fixture,  # noqa: F401 - fixture
    verified_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("relaxed_limits")]

REPORTS = reverse("review:reports")
RESOLVE = reverse("review:resolve_reports")


@pytest.fixture
def case(case_factory):
    return case_factory("open", claims=3, reference="BOARD-1")


@pytest.fixture
def screener(case):
    user = verified_user("board-reviewer")
    case_services.case_appoint_reviewer(case=case, user=user)
    return user


@pytest.fixture
def alice(db):
    return verified_user("alice-b")


@pytest.fixture
def bob(db):
    return verified_user("bob-b")


@pytest.fixture
def other_reviewer(case_factory, agency_b):
    user = verified_user("board-elsewhere")
    other = case_factory("open", agency=agency_b, reference="BOARD-OTHER")
    case_services.case_appoint_reviewer(case=other, user=user)
    return user


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def vetted(case, author, screener, title, votes=(), reviewer=None):
    item = make_prior_art(case, author, title=title, claims=(1,))
    for n, rating in enumerate(votes):
        voter = verified_user(f"voter-{n}")
        submission_services.vote_set(prior_art=item, voter=voter, rating=rating)
    if reviewer:
        services.reviewer_rating_set(prior_art=item, reviewer=screener, rating=reviewer)
    return services.prior_art_vet(prior_art=item, actor=screener)


# --- Reports and hidden comments ----------------------------------------------------------


def test_reports_are_grouped_by_target_and_can_be_upheld_or_dismissed(
    client, case, screener, alice, bob
):
    item = make_prior_art(case, alice, title="Reported evidence")
    comment = submission_services.comment_post(
        case=case, author=alice, body="Buy cheap watches here"
    )
    carol = verified_user("carol-b")
    for reporter in (bob, carol):
        submission_services.flag_create(
            reporter=reporter, comment=comment, reason="spam", details="An advert"
        )
    submission_services.flag_create(
        reporter=bob, prior_art=item, reason="off_topic", details="Wrong field"
    )
    login(client, screener)
    page = client.get(REPORTS)
    assert page.status_code == 200
    assert "Buy cheap watches here" in page.text and "2 reports" in page.text
    assert "Wrong field" in page.text and item.tracking_ref in page.text
    assert reverse("submissions:comment_hide", args=[comment.pk]) in page.text

    missing = client.post(
        RESOLVE, {"target": "comment", "id": comment.pk, "decision": "uphold"}
    )
    assert missing.status_code == 200
    assert "Say why the reports are upheld." in missing.text
    assert 'value="uphold" id="report-comment-' in missing.text
    assert Flag.objects.filter(status=FlagStatus.OPEN).count() == 3

    upheld = client.post(
        RESOLVE,
        {"target": "comment", "id": comment.pk, "decision": "uphold", "reason": "Spam"},
        follow=True,
    )
    assert "2 reports upheld." in messages_of(upheld)
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "Spam"

    dismissed = client.post(
        RESOLVE,
        {"target": "prior_art", "id": item.pk, "decision": "dismiss"},
        follow=True,
    )
    assert "1 report dismissed." in messages_of(dismissed)
    item.refresh_from_db()
    assert item.status == PriorArtStatus.SUBMITTED and not item.hidden_by_flags
    assert not Flag.objects.filter(status=FlagStatus.OPEN).exists()


def test_who_may_decide_reports(
    client, case, screener, alice, bob, other_reviewer, editor_a
):
    item = make_prior_art(case, alice)
    submission_services.flag_create(reporter=bob, prior_art=item, reason="spam")
    assert "/accounts/login/" in client.get(REPORTS).url
    assert login(client, alice).get(REPORTS).status_code == 403
    assert "You do not moderate any case" in client.get(REPORTS).text
    assert item.tracking_ref not in login(client, other_reviewer).get(REPORTS).text
    data = {"target": "prior_art", "id": item.pk, "decision": "dismiss"}
    assert client.post(RESOLVE, data).status_code == 404
    # The agency's editors moderate its cases too.
    assert item.tracking_ref in login(client, editor_a).get(REPORTS).text
    assert client.post(RESOLVE, data).status_code == 302


def test_hidden_comments_can_be_restored(client, case, screener, alice, other_reviewer):
    comment = submission_services.comment_post(case=case, author=alice, body="Sharp.")
    submission_services.comment_hide(comment=comment, actor=screener, reason="Rude")
    url = reverse("review:restore_comment", args=[comment.pk])
    login(client, screener)
    page = client.get(REPORTS)
    assert "Sharp." in page.text and "Rude" in page.text and url in page.text

    restored = client.post(url, {"reason": "On reflection, fair."}, follow=True)
    assert "The comment is visible again." in messages_of(restored)
    comment.refresh_from_db()
    assert not comment.hidden

    again = client.post(url, {"reason": "Twice"})
    assert again.status_code == 200 and "This comment is not hidden." in again.text

    assert login(client, other_reviewer).post(url).status_code == 403
    assert login(client, alice).post(url).status_code == 403
    assert (
        Comment.objects.get().audit_events.filter(action="comment_restore").count() == 1
    )


# --- Ranking ------------------------------------------------------------------------------


def test_ranking_board_orders_marks_the_cut_line_and_shows_coverage(
    client, case, screener, alice
):
    Case.objects.filter(pk=case.pk).update(forward_limit=2)
    low = vetted(case, alice, screener, "Lone five", votes=(5,))
    top = vetted(case, alice, screener, "Consensus", votes=(5, 5, 4, 5), reviewer=5)
    mid = vetted(case, alice, screener, "Unrated")
    make_prior_art(case, alice, title="Not vetted yet")
    page = login(client, screener).get(reverse("review:ranking", args=[case.pk]))
    assert page.status_code == 200
    ranked = [(row.rank, row.prior_art) for row in page.context["ranked"]]
    assert ranked == [(1, top), (2, low), (3, mid)]
    text = page.text
    assert text.index(top.tracking_ref) < text.index(low.tracking_ref)
    assert "Cut line: only the 2 items above would be forwarded." in text
    assert text.index("Cut line") < text.index(mid.tracking_ref)
    assert "3.33 (1 rating)" in text and "5.00 (1 rating)" in text
    coverage = {c.number: c.vetted_count for c in page.context["coverage"]}
    assert coverage == {1: 3, 2: 0, 3: 0}
    assert text.count("None: no vetted evidence") == 2
    assert "Forwarding now ends the review early" in text
    assert "I understand this ends the review" in text


def test_who_may_see_the_ranking_board(
    client, case, screener, alice, other_reviewer, editor_a, examiner
):
    url = reverse("review:ranking", args=[case.pk])
    assert "/accounts/login/" in client.get(url).url
    for outsider in (alice, other_reviewer, editor_a):
        assert login(client, outsider).get(url).status_code == 404
        forward = reverse("review:forward", args=[case.pk])
        assert client.post(forward, {"confirm": "on"}).status_code == 404
    assert not Dossier.objects.exists()


def test_ranking_board_runs_a_constant_number_of_queries(client, case, screener, alice):
    login(client, screener)
    url = reverse("review:ranking", args=[case.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    vetted(case, alice, screener, "First", votes=(4,), reviewer=3)
    small = count()
    for n in range(6):
        vetted(case, alice, screener, f"More {n}", reviewer=4)
    assert count() == small


# --- Forwarding ---------------------------------------------------------------------------


def test_forward_needs_confirmation_makes_one_dossier_and_says_so_twice(
    client, case, screener, alice, examiner
):
    Case.objects.filter(pk=case.pk).update(forward_limit=2)
    items = [
        vetted(case, alice, screener, f"Item {n}", votes=(n + 2,)) for n in range(3)
    ]
    case_services.case_appoint_examiner(case=case, user=examiner)
    url = reverse("review:forward", args=[case.pk])
    login(client, screener)

    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 200
    assert "Tick the box to confirm" in unconfirmed.text
    assert not Dossier.objects.exists()

    done = client.post(url, {"confirm": "on"}, follow=True)
    assert "Forwarded 2 items to the examiner. The review of BOARD-1 has ended." in (
        messages_of(done)
    )
    dossier = Dossier.objects.get()
    assert dossier.forwarded_by == screener and dossier.trigger == "reviewer"
    assert [i.prior_art for i in dossier.items.order_by("rank")] == [items[2], items[1]]
    assert Case.objects.get(pk=case.pk).status == CaseStatus.FORWARDED
    assert "Only the examiners of the case see the dossier" in done.text
    assert "Forward now" not in done.text

    again = client.post(url, {"confirm": "on"}, follow=True)
    assert any("already forwarded" in m for m in messages_of(again))
    assert Dossier.objects.count() == 1
    assert PriorArt.objects.filter(status=PriorArtStatus.FORWARDED).count() == 2

    # The examiner is shown the way to the dossier from the header.
    header = login(client, examiner).get("/cases/").text
    assert reverse("review:inbox") in header


def test_forward_refused_when_the_case_is_not_being_screened(
    client, case_factory, screener, alice
):
    scheduled = case_factory("scheduled", reference="BOARD-LATER")
    case_services.case_appoint_reviewer(case=scheduled, user=screener)
    login(client, screener)
    board = client.get(reverse("review:ranking", args=[scheduled.pk]))
    assert "evidence can be forwarded only while a case is open or closed" in board.text
    refused = client.post(
        reverse("review:forward", args=[scheduled.pk]), {"confirm": "on"}
    )
    assert refused.status_code == 403
    assert not Dossier.objects.exists()


def test_a_closed_case_can_be_forwarded_without_the_early_warning(
    client, case, screener, alice
):
    vetted(case, alice, screener, "Only item")
    close_case(case)
    page = login(client, screener).get(reverse("review:ranking", args=[case.pk]))
    assert "ends the review early" not in page.text and "Forward now" in page.text
    client.post(reverse("review:forward", args=[case.pk]), {"confirm": "on"})
    assert Dossier.objects.get().item_count == 1


def test_junk_input_is_answered_never_with_a_server_error(
    client, case, screener, alice
):
    item = make_prior_art(case, alice)
    login(client, screener)
    decide = reverse("review:decide", args=[item.tracking_ref])
    answers = [
        client.get(reverse("review:queue"), {"page": "x", "case": "y", "claim": "z"}),
        client.get(reverse("review:queue"), {"status": "nonsense", "page": "9999"}),
        client.post(reverse("review:bulk"), {"prior_art": ["abc"], "decision": "vet"}),
        client.post(reverse("review:bulk"), {"prior_art": [item.pk], "decision": "x"}),
        client.post(decide, {"decision": "duplicate", "duplicate_of": "abc"}),
        client.post(decide, {"decision": "duplicate", "duplicate_of": item.pk}),
        client.post(RESOLVE, {"target": "x", "id": "y", "decision": "z"}),
        client.post(RESOLVE, {}),
        client.post(reverse("review:restore_comment", args=[999999])),
        client.get(reverse("review:ranking", args=[999999])),
    ]
    assert [a.status_code for a in answers] == [200] * 8 + [404, 404]
    assert "Select a valid choice" in answers[5].text  # not itself
    item.refresh_from_db()
    assert item.status == PriorArtStatus.SUBMITTED
