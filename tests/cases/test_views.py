"""Public case list and case page: filters, pagination, content, and query budgets that do
not grow with the number of cases or claims."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from tests.factories import TechnologyAreaFactory

pytestmark = pytest.mark.django_db


def titles(response):
    return [case.title for case in response.context["page"].object_list]


def test_case_page_shows_claims_with_dependencies_window_and_areas(
    client, case_factory
):
    area = TechnologyAreaFactory(name="Batteries and energy storage", slug="batteries")
    case = case_factory("open", claims=4, areas=[area])
    response = client.get(reverse("cases:detail", args=[case.pk]))
    html = response.text
    assert response.status_code == 200
    assert case.title in html and case.reference in html and case.agency.name in html
    assert "Open for review" in html
    for n in range(1, 5):
        assert f'id="claim-{n}"' in html
    assert 'depends on <a href="#claim-3">claim 3</a>' in html
    assert "independent" in html
    assert "Batteries and energy storage" in html
    assert timezone.localtime(case.review_closes_at).strftime("%-d %B %Y") in html


def test_scheduled_case_page_says_when_review_opens(client, case_factory):
    case = case_factory("scheduled")
    html = client.get(reverse("cases:detail", args=[case.pk])).text
    assert "Review opens on" in html


def test_case_list_filters(client, case_factory, agency_b):
    area = TechnologyAreaFactory(slug="telecom", name="Telecommunications")
    a_open = case_factory("open", title="Beam management", areas=[area])
    case_factory("closed", title="Old closed case")
    b_sched = case_factory("scheduled", agency=agency_b, title="Draft rule on storage")
    url = reverse("cases:list")

    assert set(titles(client.get(url))) == {
        "Beam management",
        "Old closed case",
        "Draft rule on storage",
    }
    assert titles(client.get(url, {"status": "open"})) == ["Beam management"]
    assert titles(client.get(url, {"agency": agency_b.slug})) == [b_sched.title]
    assert titles(client.get(url, {"area": "telecom"})) == [a_open.title]
    assert titles(client.get(url, {"q": "beam"})) == ["Beam management"]


def test_closing_soon_filter(client, case_factory):
    soon = case_factory("open", title="Closes soon")
    Case.objects.filter(pk=soon.pk).update(
        review_closes_at=timezone.now() + timedelta(days=3)
    )
    case_factory("open", title="Closes later")  # 30 days out
    assert titles(client.get(reverse("cases:list"), {"closing_soon": "on"})) == [
        "Closes soon"
    ]


def test_unknown_filter_values_show_a_message_not_an_error(client, case_factory):
    case_factory("open")
    response = client.get(
        reverse("cases:list"), {"agency": "nope", "status": "bogus", "page": "x"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_case_list_paginates(client, case_factory):
    for i in range(23):
        case_factory("open", title=f"Case number {i:02d}", claims=1)
    first = client.get(reverse("cases:list"))
    second = client.get(reverse("cases:list"), {"page": 2})
    assert len(titles(first)) == 20
    assert len(titles(second)) == 3
    assert set(titles(first)).isdisjoint(titles(second))
    assert "Page 1 of 2" in first.text


def test_unknown_or_malformed_case_ids_are_404(client):
    assert client.get("/cases/999999/").status_code == 404
    assert client.get("/cases/abc/").status_code == 404


def _count_queries(client, django_assert_max_num_queries, url, budget):
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_case_list_query_count_does_not_grow_with_cases(
    client, case_factory, django_assert_max_num_queries
):
    area = TechnologyAreaFactory(slug="a1")
    for _ in range(2):
        case_factory("open", areas=[area], claims=2)
    small = _count_queries(
        client, django_assert_max_num_queries, reverse("cases:list"), 12
    )
    for _ in range(15):
        case_factory("open", areas=[area], claims=5)
    large = _count_queries(
        client, django_assert_max_num_queries, reverse("cases:list"), 12
    )
    assert large == small


CASE_PAGE_BUDGET = 30  # signed in: permissions, a page of evidence and its count,
# the discussion's order, a page of its comments, follow state


def _populate(case, contributors, *, submissions: int, comments: int) -> None:
    """Public, rated, commented evidence and a threaded discussion on ``case``."""
    from submissions import services as submission_services
    from submissions.models import PriorArt, Vote
    from tests.submissions.factories import make_prior_art

    claims = tuple(claim.number for claim in case.claims.all())[:3]
    for i in range(submissions):
        author, voter = contributors[i % 2], contributors[(i + 1) % 2]
        item = make_prior_art(case, author, claims=claims, title=f"Evidence {i}")
        Vote.objects.create(prior_art=item, voter=voter, rating=1 + i % 5)
        submission_services.comment_post(
            case=case, author=voter, body=f"On evidence {i}", prior_art=item
        )
    parent = None
    for i in range(comments):
        parent = submission_services.comment_post(
            case=case,
            author=contributors[i % 2],
            body=f"Comment {i}",
            claim=case.claims.all()[0] if i % 3 == 0 else None,
            parent=parent if i % 2 else None,
        )
    assert PriorArt.objects.filter(case=case).count() == submissions


def test_case_page_query_count_does_not_grow_with_claims_evidence_or_comments(
    client, case_factory, django_assert_max_num_queries, settings
):
    from cases import services as case_services
    from tests.submissions.factories import verified_user

    settings.OPENDOCKET_FLAG_HIDE_THRESHOLD = 1000
    contributors = [verified_user("budget-a"), verified_user("budget-b")]
    reviewer = verified_user("budget-reviewer")
    few = case_factory("open", claims=2)
    many = case_factory("open", claims=60)
    for case in (few, many):
        case_services.case_appoint_reviewer(case=case, user=reviewer)
    _populate(few, contributors, submissions=1, comments=1)
    _populate(many, contributors, submissions=25, comments=40)

    for user in (None, contributors[0], reviewer):
        client.logout()
        if user is not None:
            client.force_login(
                user, backend="django.contrib.auth.backends.ModelBackend"
            )
        client.get(reverse("cases:detail", args=[few.pk]))  # warms per-process caches
        a = _count_queries(
            client,
            django_assert_max_num_queries,
            reverse("cases:detail", args=[few.pk]),
            CASE_PAGE_BUDGET,
        )
        b = _count_queries(
            client,
            django_assert_max_num_queries,
            reverse("cases:detail", args=[many.pk]),
            CASE_PAGE_BUDGET,
        )
        assert a == b, user


def test_home_page_lists_open_cases_closing_soon(client, case_factory):
    case_factory("open", title="Open and closing")
    case_factory("scheduled", title="Not yet open")
    response = client.get("/")
    assert response.status_code == 200
    assert "Open and closing" in response.text
    assert "Not yet open" not in response.text


def test_pages_have_a_skip_link_landmarks_and_labelled_filters(client, case_factory):
    case_factory("open")
    html = client.get(reverse("cases:list")).text
    assert 'href="#main"' in html and '<main id="main"' in html
    assert '<label for="id_agency">' in html and '<label for="id_status">' in html
    assert '<html lang="en">' in html


def test_signed_in_visitor_can_follow_the_case_from_its_page(
    client, case_factory, contributor
):
    case = case_factory("open")
    assert "Follow" not in client.get(reverse("cases:detail", args=[case.pk])).text
    client.force_login(contributor)
    page = client.get(reverse("cases:detail", args=[case.pk])).text
    assert reverse("accounts:follow_case", kwargs={"pk": case.pk}) in page
    client.post(
        reverse("accounts:follow_case", kwargs={"pk": case.pk}),
        {"follow": "1", "next": reverse("cases:detail", args=[case.pk])},
    )
    assert contributor.follows.filter(case=case).exists()
    assert "Unfollow" in client.get(reverse("cases:detail", args=[case.pk])).text
