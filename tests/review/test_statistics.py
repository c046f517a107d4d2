"""Public statistics: exact figures for a known dataset, site-wide and per case; charts
as inline SVG without script; CSV that parses; unpublished cases left out; a constant
number of queries whatever the size of the data."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from review import services
from review.models import Outcome
from review.statistics import (
    DAY,
    WEEK,
    Bucket,
    Statistics,
    case_period,
    case_statistics,
    site_statistics,
)
from review.views.stats import buckets_chart, over_time_chart, safe_cell
from submissions import services as submission_services
from submissions.models import PriorArt
from tests.submissions.factories import (
    close_case,
    make_prior_art,
    set_state,
    verified_user,
)

pytestmark = pytest.mark.django_db


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def dataset(case_factory, reviewer, examiner, settings, editor_a):
    """Two published cases and two that do not count.

    Case A (forwarded): alice x2 and bob vetted then forwarded (alice's first used, bob's
    not relevant, alice's second undecided), carol rejected, dave held for screening.
    Case B (open): alice vetted, bob needs changes (submitted 14 days ago), erin's hidden
    after reports. A draft case, and a case unpublished after evidence was sent on it.
    """
    settings.OPENDOCKET_FLAG_HIDE_THRESHOLD = 1
    people = {n: verified_user(n) for n in ("alice", "bob", "carol", "dave", "erin")}
    alice, bob, carol, dave, erin = people.values()

    case_a = case_factory("open", claims=2, title="Case A")
    case_b = case_factory("open", claims=2, title="Case B")
    for case in (case_a, case_b):
        case_services.case_appoint_reviewer(case=case, user=reviewer)
        case_services.case_appoint_examiner(case=case, user=examiner)

    for author, title in ((alice, "A1"), (bob, "A2"), (alice, "A3")):
        services.prior_art_vet(
            prior_art=make_prior_art(case_a, author, title=title), actor=reviewer
        )
    services.prior_art_reject(
        prior_art=make_prior_art(case_a, carol, title="A4"),
        actor=reviewer,
        reason="Not prior art.",
    )
    held = make_prior_art(case_a, dave, public=False, title="Held secret title")
    assert held.held_for_screening
    close_case(case_a)
    dossier, _ = services.case_forward(case_id=case_a.pk, actor=reviewer)
    items = list(dossier.items.order_by("rank"))
    services.dossier_item_decide(
        item=items[0], actor=examiner, outcome=Outcome.USED_IN_ACTION, note="x"
    )
    services.dossier_item_decide(
        item=items[1], actor=examiner, outcome=Outcome.NOT_RELEVANT
    )

    services.prior_art_vet(
        prior_art=make_prior_art(case_b, alice, title="B1"), actor=reviewer
    )
    late = make_prior_art(case_b, bob, title="B2")
    services.prior_art_request_changes(
        prior_art=late, actor=reviewer, reason="Map it to a claim."
    )
    two_weeks_ago = timezone.now() - timedelta(days=14)
    PriorArt.objects.filter(pk=late.pk).update(created_at=two_weeks_ago)
    reported = make_prior_art(case_b, erin, title="Reported secret title")
    submission_services.flag_create(reporter=alice, reason="spam", prior_art=reported)
    reported.refresh_from_db()
    assert reported.hidden_by_flags

    case_factory("draft", title="Draft case")
    gone = case_factory("open", title="Unpublished later")
    set_state(make_prior_art(gone, erin, title="On a case taken down"), "rejected")
    make_prior_art(gone, verified_user("frank"))
    gone.unpublish(user=editor_a)
    gone.refresh_from_db()
    assert not gone.live

    case_a.refresh_from_db()
    return {"a": case_a, "b": case_b, "gone": gone, "two_weeks_ago": two_weeks_ago}


SCREENING = {
    "submitted": 2,  # dave's, held; erin's, hidden after reports
    "needs_changes": 1,
    "vetted": 1,
    "forwarded": 3,
    "rejected": 1,
    "duplicate": 0,
    "withdrawn": 0,
}


def test_site_statistics_for_a_known_dataset(dataset):
    stats = site_statistics()
    assert stats.submissions == 8
    assert stats.contributors == 5  # alice, bob, carol, dave, erin; not frank
    assert {b.key: b.count for b in stats.screening} == SCREENING
    assert (stats.vetted, stats.forwarded) == (4, 3)
    assert stats.forwarded_rate == 0.75
    assert (stats.decided, stats.used) == (2, 1)
    assert stats.used_rate == 0.5
    assert {b.key: b.count for b in stats.decisions} == {
        "used_in_action": 1,
        "relevant": 0,
        "cumulative": 0,
        "not_relevant": 1,
    }
    cases = {b.key: b.count for b in stats.cases_by_status}
    assert cases["forwarded"] == 1 and cases["open"] == 1
    assert sum(cases.values()) == 2  # neither the draft nor the unpublished case
    assert stats.period == WEEK
    first_week = monday(timezone.localtime(dataset["two_weeks_ago"]).date())
    this_week = monday(today())
    assert stats.over_time == [
        (first_week, 1),
        (first_week + timedelta(weeks=1), 0),
        (this_week, 7),
    ]


def test_case_statistics_count_per_day_over_a_short_window(dataset):
    case_b = dataset["b"]
    assert case_period(case_b) == DAY
    stats = case_statistics(case_b)
    assert (stats.submissions, stats.contributors) == (3, 3)
    assert {b.key: b.count for b in stats.screening if b.count} == {
        "submitted": 1,
        "needs_changes": 1,
        "vetted": 1,
    }
    assert stats.forwarded_rate == 0.0 and stats.used_rate is None
    # From the earliest submission (before the window opened) to today, every day.
    first = timezone.localtime(dataset["two_weeks_ago"]).date()
    assert stats.over_time[0] == (first, 1)
    assert stats.over_time[-1] == (today(), 2)
    assert len(stats.over_time) == (today() - first).days + 1
    assert sum(count for _day, count in stats.over_time) == 3

    stats_a = case_statistics(dataset["a"])
    assert (stats_a.submissions, stats_a.vetted, stats_a.forwarded) == (5, 3, 3)
    assert (stats_a.forwarded_rate, stats_a.used_rate) == (1.0, 0.5)
    assert stats_a.cases_by_status == []


def test_a_long_window_counts_per_week(case_factory):
    case = case_factory("open")
    Case.objects.filter(pk=case.pk).update(
        review_opens_at=timezone.now() - timedelta(weeks=10)
    )
    case.refresh_from_db()
    assert case_period(case) == WEEK
    stats = case_statistics(case)
    assert stats.over_time == []  # nothing submitted: no chart, not a row of zeros
    make_prior_art(case, verified_user("weekly"))
    stats = case_statistics(case)
    assert stats.period == WEEK
    opened = timezone.localtime(case.review_opens_at).date()
    assert stats.over_time[0] == (monday(opened), 0)
    assert stats.over_time[-1] == (monday(today()), 1)
    assert len(stats.over_time) == 11  # ten weeks ago to this week


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, re.S)


def test_pages_show_charts_as_inline_svg_without_script_and_numbers_as_tables(
    client, dataset
):
    for url in (
        reverse("review:stats"),
        reverse("review:case_stats", args=[dataset["a"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        svgs = _svgs(html)
        assert len(svgs) == 2
        for svg in svgs:
            assert "<script" not in svg.lower()
            assert 'role="img"' in svg and "aria-labelledby=" in svg
        for caption in ("over-time-caption", "screening-caption"):
            assert f'<figcaption id="{caption}">' in html
        assert html.count("<details>") == 2
        # Numbers only: the titles of evidence, held or hidden or not, never appear.
        for title in ("Held secret title", "Reported secret title", "A1", "B1"):
            assert f">{title}<" not in html
    html = client.get(reverse("review:stats")).content.decode()
    assert "Cases by status" in html
    assert "75%" in html and "50%" in html


def test_chart_text_is_escaped_and_carries_no_script():
    hostile = '<script>alert("x")</script> & <b>'
    svg = buckets_chart([Bucket("k", hostile, 3)], labelled_by="c")
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    stats = Statistics(
        case=None,
        period=WEEK,
        submissions=3,
        contributors=1,
        over_time=[(date(2025, 1, 6), 3)],
        screening=[],
        vetted=0,
        forwarded=0,
        decided=0,
        used=0,
        decisions=[],
    )
    assert "<script" not in over_time_chart(stats, labelled_by="c")


def test_a_hostile_case_title_is_escaped_on_its_statistics_page(client, case_factory):
    case = case_factory("open", title='<script>alert("case")</script>')
    make_prior_art(case, verified_user("escaper"))
    html = client.get(reverse("review:case_stats", args=[case.pk])).content.decode()
    assert '<script>alert("case")' not in html
    assert "&lt;script&gt;alert(&quot;case&quot;)" in html


def _rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_csv_is_tidy_long_format_with_the_same_figures(client, dataset):
    rows = _rows(client.get(reverse("review:stats_csv")))
    assert list(rows[0]) == ["metric", "bucket", "value"]
    figures = {(r["metric"], r["bucket"]): r["value"] for r in rows}
    assert figures[("submissions", "total")] == "8"
    assert figures[("contributors", "total")] == "5"
    assert figures[("forwarded_rate", "total")] == "0.7500"
    assert figures[("used_rate", "total")] == "0.5000"
    assert figures[("examiner_decision", "used_in_action")] == "1"
    assert figures[("cases_by_status", "forwarded")] == "1"
    for status, count in SCREENING.items():
        assert figures[("screening_outcome", status)] == str(count)
    weekly = [r for r in rows if r["metric"] == "submissions_per_week"]
    assert sum(int(r["value"]) for r in weekly) == 8
    for row in rows:
        assert re.fullmatch(r"\d+(\.\d{4})?|", row["value"]), row
        assert not row["bucket"].startswith(("=", "+", "-", "@"))

    case_rows = _rows(
        client.get(reverse("review:case_stats_csv", args=[dataset["b"].pk]))
    )
    figures = {(r["metric"], r["bucket"]): r["value"] for r in case_rows}
    assert figures[("submissions", "total")] == "3"
    assert figures[("used_rate", "total")] == ""  # nothing decided: nothing to divide
    assert figures[("submissions_per_day", today().isoformat())] == "2"
    assert not any(r["metric"] == "cases_by_status" for r in case_rows)


def test_csv_cells_cannot_start_a_formula():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+1") == "'+1" and safe_cell("@x") == "'@x"
    assert safe_cell("-2") == "'-2"
    assert safe_cell(12) == "12" and safe_cell("2025-01-06") == "2025-01-06"


def test_statistics_of_an_unpublished_or_unknown_case_are_404(
    client, case_factory, dataset
):
    draft = case_factory("draft")
    for pk in (draft.pk, dataset["gone"].pk, 999999):
        assert client.get(reverse("review:case_stats", args=[pk])).status_code == 404
        assert (
            client.get(reverse("review:case_stats_csv", args=[pk])).status_code == 404
        )


def test_statistics_pages_are_public_and_have_an_empty_state(client, db):
    html = client.get(reverse("review:stats")).content.decode()
    assert "No prior art has been submitted yet." in html
    assert not _svgs(html)
    rows = _rows(client.get(reverse("review:stats_csv")))
    assert {(r["metric"], r["value"]) for r in rows if r["bucket"] == "total"} >= {
        ("submissions", "0"),
        ("forwarded_rate", ""),
    }


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_statistics_run_a_constant_number_of_queries(
    client, case_factory, reviewer, examiner
):
    case = case_factory("open", claims=2)
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    case_services.case_appoint_examiner(case=case, user=examiner)
    make_prior_art(case, verified_user("first"))
    urls = [
        reverse("review:stats"),
        reverse("review:stats_csv"),
        reverse("review:case_stats", args=[case.pk]),
        reverse("review:case_stats_csv", args=[case.pk]),
    ]
    client.get(urls[0])  # warms per-process caches
    small = [_queries(client, url) for url in urls]

    for i in range(12):
        item = make_prior_art(case, verified_user(f"more-{i}"), title=f"M{i}")
        if i % 2:
            services.prior_art_vet(prior_art=item, actor=reviewer)
        PriorArt.objects.filter(pk=item.pk).update(
            created_at=timezone.now() - timedelta(days=i * 9)
        )
    close_case(case)
    dossier, _ = services.case_forward(case_id=case.pk, actor=reviewer)
    for item in dossier.items.all():
        services.dossier_item_decide(
            item=item, actor=examiner, outcome=Outcome.USED_IN_ACTION
        )
    for i in range(3):
        make_prior_art(case_factory("open"), verified_user(f"other-{i}"))

    large = [_queries(client, url) for url in urls]
    assert large == small
    assert max(small) <= 8  # four (or three) aggregates, the case, and the navigation
