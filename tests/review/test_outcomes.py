"""Closing the loop in public: the outcome of each forwarded item on the case page, the
contributors' reputation on their profiles, and the list of contributors whose evidence
examiners used. Everything is built through the services, as in production."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import account_erase
from cases import services as case_services
from review import services
from review.models import DossierItem, Outcome
from review.reputation import (
    case_outcome,
    public_outcomes,
    reputation,
    used_contributors,
)
from submissions import services as submission_services
from submissions.models import PriorArt
from tests.submissions.factories import close_case, login, make_prior_art, verified_user

pytestmark = pytest.mark.django_db

NOTE = "Secret examiner reasoning: claim 1 anticipated by figure 3"
AWAITING = "Awaiting the examiner&#x27;s decision"


@pytest.fixture
def staff(reviewer, examiner):
    return reviewer, examiner


def appoint(case, reviewer, examiner):
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    case_services.case_appoint_examiner(case=case, user=examiner)
    return case


def forwarded_case(case_factory, reviewer, examiner, evidence):
    """An open case with ``evidence`` [(author, title)] submitted and vetted in that
    order, closed and forwarded by its reviewer. Returns the case and its items in rank
    order (no ratings: ties rank the earliest first)."""
    case = appoint(case_factory("open", claims=2), reviewer, examiner)
    for author, title in evidence:
        item = make_prior_art(case, author, title=title)
        services.prior_art_vet(prior_art=item, actor=reviewer)
    close_case(case)
    dossier, created = services.case_forward(case_id=case.pk, actor=reviewer)
    assert created
    case.refresh_from_db()
    return case, list(dossier.items.order_by("rank"))


def decide(item, examiner, outcome, note=""):
    return services.dossier_item_decide(
        item=item, actor=examiner, outcome=outcome, note=note
    )


def case_page(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def outcome_section(html: str) -> str:
    """The "Outcome of the review" section of a case page ("" when there is none)."""
    match = re.search(
        r'<section aria-labelledby="outcome-heading".*?</section>', html, re.S
    )
    return match.group(0) if match else ""


@pytest.fixture
def people(db):
    return {name: verified_user(name) for name in ("alice", "bob", "carol")}


# --- The case page ------------------------------------------------------------------------


def test_case_page_shows_each_forwarded_item_and_then_each_decision(
    client, case_factory, staff, people
):
    reviewer, examiner = staff
    alice, bob = people["alice"], people["bob"]
    case = appoint(case_factory("open", claims=2), reviewer, examiner)
    first = make_prior_art(case, alice, title="Exhaust heat thermopile survey")
    second = make_prior_art(case, bob, title="Seebeck charger patent")
    for item in (first, second):
        services.prior_art_vet(prior_art=item, actor=reviewer)
    assert "Outcome of the review" not in case_page(client, case)

    close_case(case)
    dossier, _ = services.case_forward(case_id=case.pk, actor=reviewer)
    html = outcome_section(case_page(client, case))
    assert "Outcome of the review" in html
    assert "forwarded 2 items of evidence to the examiner" in html
    assert "decided on 0 of 2 so far" in html
    assert html.count(AWAITING) == 2
    assert html.index("Exhaust heat thermopile survey") < html.index(
        "Seebeck charger patent"
    )
    assert first.tracking_ref in html and second.tracking_ref in html
    assert reverse("submissions:detail", args=[first.tracking_ref]) in html
    assert reverse("accounts:profile", args=["alice"]) in html
    assert reverse("review:case_stats", args=[case.pk]) in html

    items = list(dossier.items.order_by("rank"))
    decide(items[0], examiner, Outcome.USED_IN_ACTION, NOTE)
    html = outcome_section(case_page(client, case))
    assert "Used in an office action" in html
    assert html.count(AWAITING) == 1
    assert "decided on 1 of 2 so far" in html

    decide(items[1], examiner, Outcome.CUMULATIVE)
    case.refresh_from_db()
    assert case.status == "decided"
    html = outcome_section(case_page(client, case))
    assert "The examiner decided on every item by" in html
    assert "Cumulative" in html and AWAITING not in html


def test_the_examiners_note_is_never_public(client, case_factory, staff, people):
    reviewer, examiner = staff
    alice, bob = people["alice"], people["bob"]
    case, items = forwarded_case(
        case_factory, reviewer, examiner, [(alice, "Thermopile survey")]
    )
    decide(items[0], examiner, Outcome.USED_IN_ACTION, NOTE)

    for viewer in (None, bob, alice):
        client.logout()
        if viewer:
            login(client, viewer)
        assert NOTE not in case_page(client, case)
        for url in (
            reverse("accounts:profile", args=["alice"]),
            reverse("review:used_contributors"),
            reverse("review:case_stats", args=[case.pk]),
            reverse("review:case_stats_csv", args=[case.pk]),
        ):
            assert NOTE not in client.get(url).content.decode()
    for outcome in public_outcomes(case):
        assert NOTE not in repr(outcome)

    # The contributor hears of it: the notification carries the note, and their own
    # page of the item shows it; others see the decision there, not the note.
    assert alice.notifications.filter(body__contains=NOTE).exists()
    item_url = reverse("submissions:detail", args=[items[0].prior_art.tracking_ref])
    for viewer in (None, bob, alice):
        client.logout()
        if viewer:
            login(client, viewer)
        html = client.get(item_url).content.decode()
        assert "Used in an office action" in html
        assert (NOTE in html) == (viewer == alice)


def test_outcomes_come_from_the_snapshot_and_respect_erasure_and_reports(
    client, case_factory, staff, people, settings
):
    reviewer, examiner = staff
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    case, items = forwarded_case(
        case_factory,
        reviewer,
        examiner,
        [(alice, "Original title"), (bob, "Reported evidence"), (carol, "Third")],
    )
    # Later edits of the submission do not change what was forwarded.
    PriorArt.objects.filter(pk=items[0].prior_art_id).update(title="Edited later")
    # Reports hide the second item from the public.
    settings.OPENDOCKET_FLAG_HIDE_THRESHOLD = 1
    submission_services.flag_create(
        reporter=carol, reason="spam", prior_art=items[1].prior_art
    )
    account_erase(user=bob)

    outcomes = public_outcomes(case)
    assert [o.rank for o in outcomes] == [1, 2, 3]
    assert outcomes[0].title == "Original title"
    assert outcomes[0].contributor == "alice"
    assert outcomes[0].contributor_handle == "alice"
    assert outcomes[1].title == "" and not outcomes[1].is_public
    assert outcomes[1].contributor == "former contributor"
    assert outcomes[1].contributor_handle is None
    assert outcomes[1].tracking_ref == items[1].snapshot["tracking_ref"]
    assert {o.outcome_label for o in outcomes} == {"awaiting the examiner's decision"}

    html = outcome_section(case_page(client, case))
    assert "Original title" in html and "Edited later" not in html
    assert "Reported evidence" not in html and "Hidden after reports" in html
    assert "former contributor" in html
    assert items[1].snapshot["contributor"] == "bob"  # the frozen snapshot...
    assert ">bob<" not in html  # ...is not shown once bob is erased


def test_a_dossier_with_no_evidence_says_nothing_was_forwarded(
    client, case_factory, staff
):
    reviewer, examiner = staff
    case = appoint(case_factory("open"), reviewer, examiner)
    close_case(case)
    services.case_forward(case_id=case.pk, actor=reviewer)
    case.refresh_from_db()
    assert case.status == "decided"
    html = outcome_section(case_page(client, case))
    assert "nothing was forwarded to the examiner" in html


def test_case_outcome_costs_no_query_before_forwarding_and_two_after(
    case_factory, staff, people, django_assert_num_queries
):
    reviewer, examiner = staff
    open_case = case_factory("open")
    with django_assert_num_queries(0):
        assert case_outcome(open_case) is None
    case, _items = forwarded_case(
        case_factory,
        reviewer,
        examiner,
        [(people["alice"], "One"), (people["bob"], "Two")],
    )
    with django_assert_num_queries(2):
        outcome = case_outcome(case)
    assert outcome.item_count == 2 and outcome.decided_count == 0


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_case_page_queries_do_not_grow_with_forwarded_items(
    client, case_factory, staff
):
    """A dossier costs the case page two fixed queries, whatever its size."""
    reviewer, examiner = staff
    finders = [verified_user(f"finder-{i}") for i in range(8)]
    cases = {}
    for name, evidence in (("few", finders[:1]), ("many", finders)):
        case = appoint(case_factory("open", claims=2), reviewer, examiner)
        for person in evidence:
            item = make_prior_art(case, person, title=f"By {person.username}")
            services.prior_art_vet(prior_art=item, actor=reviewer)
        cases[name] = close_case(case)
    viewers = (None, finders[0])

    def counts():
        result = {}
        for viewer in viewers:
            client.logout()
            if viewer:
                login(client, viewer)
            client.get(reverse("cases:detail", args=[cases["few"].pk]))  # warm caches
            result[viewer] = [
                _queries(client, reverse("cases:detail", args=[case.pk]))
                for case in cases.values()
            ]
        return result

    before = counts()
    for case in cases.values():
        dossier, _ = services.case_forward(case_id=case.pk, actor=reviewer)
        for item, outcome in zip(dossier.items.all(), Outcome.values * 2, strict=False):
            decide(item, examiner, outcome, note="n")
    after = counts()
    for viewer in viewers:
        few, many = after[viewer]
        assert few == many, viewer
        assert few == before[viewer][0] + 2, (viewer, before, after)
        assert few <= 30


# --- Reputation on profiles ---------------------------------------------------------------


@pytest.fixture
def record(case_factory, staff, people):
    """alice: 3 forwarded (2 used), 1 vetted, 1 rejected, 1 withdrawn; bob: 1 forwarded,
    not used; carol: 1 used, then erased."""
    reviewer, examiner = staff
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    case, items = forwarded_case(
        case_factory,
        reviewer,
        examiner,
        [(alice, "A1"), (bob, "B1"), (alice, "A2"), (carol, "C1")],
    )
    decide(items[0], examiner, Outcome.USED_IN_ACTION)
    decide(items[1], examiner, Outcome.NOT_RELEVANT)
    decide(items[2], examiner, Outcome.RELEVANT)
    decide(items[3], examiner, Outcome.USED_IN_ACTION)
    other, other_items = forwarded_case(
        case_factory, reviewer, examiner, [(alice, "A3")]
    )
    decide(other_items[0], examiner, Outcome.USED_IN_ACTION)

    third = appoint(case_factory("open"), reviewer, examiner)
    services.prior_art_vet(
        prior_art=make_prior_art(third, alice, title="A4 vetted"), actor=reviewer
    )
    services.prior_art_reject(
        prior_art=make_prior_art(third, alice, title="A5 rejected"),
        actor=reviewer,
        reason="Not prior art.",
    )
    submission_services.prior_art_withdraw(
        prior_art=make_prior_art(third, alice, title="A6 withdrawn"), actor=alice
    )
    account_erase(user=carol)
    return people


def test_reputation_counts_a_contributors_whole_record(
    record, django_assert_num_queries
):
    with django_assert_num_queries(1):
        alice = reputation(record["alice"])
    assert alice == {"submitted": 5, "vetted": 4, "forwarded": 3, "used": 2}
    assert reputation(record["bob"]) == {
        "submitted": 1,
        "vetted": 1,
        "forwarded": 1,
        "used": 0,
    }


def test_profiles_show_reputation_with_a_link_to_the_used_list(client, record):
    url = reverse("accounts:profile", args=["alice"])
    for viewer in (None, record["bob"]):
        client.logout()
        if viewer:
            login(client, viewer)
        response = client.get(url)
        assert response.context["reputation"]["used"] == 2
        html = response.content.decode()
        assert "Used in an office action" in html
        assert reverse("review:used_contributors") in html
        # The public count of submissions is only what the viewer may see.
        assert response.context["counts"]["submitted"] == 4

    login(client, record["alice"])
    response = client.get(reverse("accounts:profile_me"))
    assert response.context["reputation"] == {
        "submitted": 5,
        "vetted": 4,
        "forwarded": 3,
        "used": 2,
    }
    html = response.content.decode()
    assert "Your record" in html and "Used in an office action" in html


def test_used_contributors_lists_people_by_use_without_erased_accounts(
    client, record, django_assert_num_queries
):
    rows = [(p.username, p.used, p.forwarded) for p in used_contributors()]
    assert rows == [("alice", 2, 3)]  # bob: none used; carol: erased

    response = client.get(reverse("review:used_contributors"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("accounts:profile", args=["alice"]) in html
    assert "bob" not in html and "former contributor" not in html


def test_used_contributors_orders_by_use_then_handle_and_pages_in_constant_queries(
    client, case_factory, staff
):
    reviewer, examiner = staff
    finders = [verified_user(name) for name in ("zed", "amy", "kim")]
    case, items = forwarded_case(
        case_factory,
        reviewer,
        examiner,
        [
            (finders[0], "Z1"),
            (finders[0], "Z2"),
            (finders[1], "A1"),
            (finders[2], "K1"),
        ],
    )
    for item in items:
        decide(item, examiner, Outcome.USED_IN_ACTION)
    assert [p.username for p in used_contributors()] == ["zed", "amy", "kim"]
    url = reverse("review:used_contributors")
    few = _queries(client, url)
    more = [verified_user(f"finder-{i:02d}") for i in range(6)]
    _case, more_items = forwarded_case(
        case_factory, reviewer, examiner, [(p, p.username) for p in more]
    )
    for item in more_items:
        decide(item, examiner, Outcome.USED_IN_ACTION)
    assert _queries(client, url) == few
    assert few <= 6  # a count, a page, and the site's navigation


def test_used_contributors_page_has_an_empty_state(client, db):
    response = client.get(reverse("review:used_contributors"))
    assert response.status_code == 200
    assert "No examiner has used a contributor" in response.content.decode()


def test_items_of_unpublished_cases_do_not_count(case_factory, staff, people, editor_a):
    reviewer, examiner = staff
    case, items = forwarded_case(
        case_factory, reviewer, examiner, [(people["alice"], "Gone with the case")]
    )
    decide(items[0], examiner, Outcome.USED_IN_ACTION)
    assert reputation(people["alice"])["used"] == 1
    case.unpublish(user=editor_a)
    assert reputation(people["alice"]) == {
        "submitted": 0,
        "vetted": 0,
        "forwarded": 0,
        "used": 0,
    }
    assert not used_contributors().exists()
    assert DossierItem.objects.filter(dossier__case=case).count() == 1
