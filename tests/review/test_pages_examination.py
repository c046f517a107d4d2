"""The examiner's pages: who may open the inbox, a dossier and its claim chart; deciding
each item; the exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Notification
from cases import services as case_services
from cases.models import CaseStatus
from review import services
from review.models import DossierItem, Outcome
from submissions.models import ClaimMapping, PriorArt
from tests.factories import UserFactory
from tests.review.test_claim_chart import NON_LATIN_TITLE, build_dossier, pdf_text
from tests.submissions.factories import close_case, login, verified_user

pytestmark = pytest.mark.django_db

DOSSIER_PAGES = ("dossier", "claim_chart", "claim_chart_csv", "claim_chart_pdf")


@pytest.fixture
def dossier(case_factory, reviewer, examiner):
    return build_dossier(case_factory, reviewer, examiner)


@pytest.fixture
def people(case_factory, agency_b, admin_user, editor_a, reviewer, examiner):
    """Everyone the matrix asks about, by role."""
    other_examiner = UserFactory(username="examiner-elsewhere")
    case_services.case_appoint_examiner(
        case=case_factory("open", agency=agency_b), user=other_examiner
    )
    return {
        "examiner": examiner,
        "other_examiner": other_examiner,
        "reviewer": reviewer,
        "contributor": verified_user("carol-contrib"),
        "editor": editor_a,
        "superuser": admin_user,
    }


def url(name, pk=None):
    return reverse(f"review:{name}", kwargs={"pk": pk} if pk else None)


def item_url(item):
    return reverse("review:decide_item", kwargs={"pk": item.pk})


def post_decision(client, item, outcome="relevant", note=""):
    prefix = f"item-{item.pk}"
    return client.post(
        item_url(item), {f"{prefix}-outcome": outcome, f"{prefix}-note": note}
    )


INBOX_STATUS = {
    "examiner": 200,
    "other_examiner": 200,  # their own (empty) inbox
    "reviewer": 403,
    "contributor": 403,
    "editor": 403,
    "superuser": 200,
}
DOSSIER_STATUS = {
    "examiner": 200,
    "other_examiner": 404,
    "reviewer": 404,
    "contributor": 404,
    "editor": 404,
    "superuser": 200,
}


@pytest.mark.parametrize("role", sorted(INBOX_STATUS))
def test_inbox_permission_matrix(client, dossier, people, role):
    response = login(client, people[role]).get(url("inbox"))
    assert response.status_code == INBOX_STATUS[role]
    listed = dossier.case.reference in response.content.decode()
    assert listed == (role in {"examiner", "superuser"})


@pytest.mark.parametrize("role", sorted(DOSSIER_STATUS))
def test_dossier_pages_permission_matrix(client, dossier, people, role):
    login(client, people[role])
    for name in DOSSIER_PAGES:
        response = client.get(url(name, dossier.pk))
        assert response.status_code == DOSSIER_STATUS[role], name
    item = dossier.items.first()
    response = post_decision(client, item)
    assert response.status_code == {200: 302}.get(DOSSIER_STATUS[role], 404)


def test_anonymous_visitors_are_sent_to_sign_in(client, dossier):
    item = dossier.items.first()
    for target in [url("inbox")] + [url(n, dossier.pk) for n in DOSSIER_PAGES]:
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    response = post_decision(client, item)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    item.refresh_from_db()
    assert item.outcome == ""


def test_examiner_with_nothing_forwarded_yet_sees_a_friendly_empty_inbox(
    client, case_factory
):
    newcomer = UserFactory(username="examiner-new")
    case_services.case_appoint_examiner(case=case_factory("open"), user=newcomer)
    response = login(client, newcomer).get(url("inbox"))
    assert response.status_code == 200
    assert "No dossiers yet" in response.content.decode()


def test_inbox_lists_progress_and_runs_a_fixed_number_of_queries(
    client, case_factory, reviewer, examiner, django_assert_max_num_queries
):
    first = build_dossier(case_factory, reviewer, examiner)
    login(client, examiner)
    with django_assert_max_num_queries(50) as small:
        response = client.get(url("inbox"))
    page = response.content.decode()
    assert "Awaiting decisions" in page and first.case.reference in page
    for n in range(2):
        build_dossier(
            case_factory,
            reviewer,
            examiner,
            claims=2,
            evidence=[
                (f"more-{n}-{i}", (1,), {"title": f"More {n} {i}"}) for i in (1, 2)
            ],
        )
    with django_assert_max_num_queries(50) as large:
        response = client.get(url("inbox"))
    assert response.content.decode().count("Awaiting decisions") == 3
    assert len(large) == len(small)


def test_dossier_shows_each_item_as_forwarded_and_flags_later_edits(
    client, dossier, examiner, django_assert_max_num_queries
):
    item = dossier.items.order_by("rank").first()
    ClaimMapping.objects.filter(prior_art=item.prior_art_id).update(
        explanation="Rewritten after forwarding."
    )
    PriorArt.objects.filter(pk=item.prior_art_id).update(
        title="Changed title", updated_at=dossier.forwarded_at.replace(year=2100)
    )
    login(client, examiner)
    with django_assert_max_num_queries(20):
        response = client.get(url("dossier", dossier.pk))
    page = response.content.decode()
    assert NON_LATIN_TITLE in page and "Exhaust heat recovery handbook" in page
    assert "Changed title" not in page and "Rewritten after forwarding." not in page
    assert page.count("Edited after forwarding") == 1
    assert "0 of 2 decided" in page
    assert "Claim 1 is shown in section 1." in page
    assert "Used in an office action" in page and "strongest result" in page
    for name in ("claim_chart", "claim_chart_csv", "claim_chart_pdf"):
        assert url(name, dossier.pk) in page


def test_deciding_records_the_outcome_tells_the_contributor_and_decides_the_case(
    client, dossier, examiner
):
    login(client, examiner)
    first, second = dossier.items.order_by("rank")
    author = first.prior_art.author
    response = post_decision(client, first, "used_in_action", "Cited against claim 1.")
    assert response.status_code == 302
    assert response["Location"] == url("dossier", dossier.pk) + f"#item-{first.pk}"
    first.refresh_from_db()
    assert (first.outcome, first.note, first.decided_by) == (
        Outcome.USED_IN_ACTION,
        "Cited against claim 1.",
        examiner,
    )
    notice = Notification.objects.get(recipient=author, key__startswith="decision:")
    assert "Used in an office action" in notice.subject
    assert notice.body == "Cited against claim 1."
    dossier.case.refresh_from_db()
    assert dossier.case.status == CaseStatus.FORWARDED
    page = client.get(response["Location"]).content.decode()
    assert "1 of 2 decided" in page and "1 item still needs a decision" in page

    response = post_decision(client, second, "not_relevant")
    assert response.status_code == 302
    dossier.case.refresh_from_db()
    dossier.refresh_from_db()
    assert dossier.case.status == CaseStatus.DECIDED and dossier.decided_at
    page = client.get(response["Location"]).content.decode()
    assert "2 of 2 decided" in page and "The case is decided." in page
    # A decided case's dossier stays open to its examiner, in the inbox too.
    assert "Decided" in client.get(url("inbox")).content.decode()


def test_a_decision_without_an_outcome_comes_back_with_the_note_kept(
    client, dossier, examiner
):
    login(client, examiner)
    item = dossier.items.order_by("rank").first()
    response = post_decision(client, item, outcome="", note="My draft note")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose a decision for this item." in page
    assert f'href="#id_item-{item.pk}-outcome_0"' in page
    assert "My draft note</textarea>" in page
    response = post_decision(client, item, outcome="nonsense", note="Kept")
    assert (
        response.status_code == 200
        and "There is a problem" in response.content.decode()
    )
    item.refresh_from_db()
    assert item.outcome == ""
    assert not Notification.objects.filter(key__startswith="decision:").exists()


def test_a_note_too_long_is_refused_on_its_field(client, dossier, examiner):
    login(client, examiner)
    item = dossier.items.order_by("rank").first()
    response = post_decision(client, item, outcome="relevant", note="x" * 5001)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Keep the note under 5,000 characters" in page
    assert f'href="#id_item-{item.pk}-note"' in page
    item.refresh_from_db()
    assert item.outcome == ""


def test_decisions_need_the_csrf_token(dossier, examiner):
    client = Client(enforce_csrf_checks=True)
    login(client, examiner)
    item = dossier.items.first()
    assert post_decision(client, item).status_code == 403
    item.refresh_from_db()
    assert item.outcome == ""


def test_exports_are_attachments_named_after_the_case(client, dossier, examiner):
    login(client, examiner)
    slug = dossier.case.reference.lower()
    response = client.get(url("claim_chart_csv", dossier.pk))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="claim-chart-{slug}.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert {row["claim_number"] for row in rows} == {"1", "2", "3", "4"}
    response = client.get(url("claim_chart_pdf", dossier.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="claim-chart-{slug}.pdf"'
    )
    assert "Exhaust heat recovery handbook" in pdf_text(response.content)


def test_claim_chart_page_is_a_table_of_claims_and_items(client, dossier, examiner):
    DossierItem.objects.filter(dossier=dossier, rank=1).update(
        outcome=Outcome.RELEVANT, decided_at=dossier.forwarded_at
    )
    login(client, examiner)
    page = client.get(url("claim_chart", dossier.pk)).content.decode()
    assert page.count('<th scope="row"') == 4
    assert page.count('<th scope="col"') == 3
    assert "Claim 2 is shown in section 2." in page
    assert "No forwarded evidence bears on these claims:" in page
    assert "Relevant" in page


def test_inbox_lists_dossiers_awaiting_decisions_before_decided_ones(
    case_factory, reviewer, examiner, client
):
    waiting = build_dossier(case_factory, reviewer, examiner)
    empty_case = case_factory("open", claims=1)
    case_services.case_appoint_reviewer(case=empty_case, user=reviewer)
    case_services.case_appoint_examiner(case=empty_case, user=examiner)
    close_case(empty_case)
    decided, _created = services.case_forward(case_id=empty_case.pk, actor=reviewer)
    assert decided.decided_at is not None  # nothing forwarded: decided at once
    client.force_login(examiner)
    html = client.get(reverse("review:inbox")).text
    assert html.index(waiting.case.reference) < html.index(empty_case.reference)
