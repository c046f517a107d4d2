"""The claim chart: built from the dossier's snapshots, rendered as CSV and as PDF."""

from __future__ import annotations

import csv
import io
from datetime import date

import pypdf
import pytest

from cases import services as case_services
from review import services
from review.claim_chart import claim_chart_table, csv_safe, render_csv, render_pdf
from submissions.models import ClaimMapping, PriorArt
from tests.submissions.factories import close_case, make_prior_art, verified_user

pytestmark = pytest.mark.django_db

NON_LATIN_TITLE = "Müller — “Thermo” 熱"


def build_dossier(case_factory, reviewer, examiner, *, claims=4, evidence=None, **kw):
    """A dossier made the real way: a case with claims, its reviewer and examiner
    appointed, evidence submitted, vetted and forwarded after the window closed.

    ``evidence`` is a list of (username, claims, data) for make_prior_art."""
    case = case_factory("open", claims=claims, **kw)
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    case_services.case_appoint_examiner(case=case, user=examiner)
    if evidence is None:
        evidence = [
            (
                "alice-cc",
                (1, 2),
                {
                    "title": NON_LATIN_TITLE,
                    "authors": "Müller, K.",
                    "published_on": date(1998, 5, 1),
                    "published_on_precision": "month",
                    "identifier": "DE 19812345 A1",
                },
            ),
            ("bob-cc", (2,), {"title": "Exhaust heat recovery handbook"}),
        ]
    for username, mapped, data in evidence:
        prior_art = make_prior_art(case, verified_user(username), claims=mapped, **data)
        services.prior_art_vet(prior_art=prior_art, actor=reviewer)
    close_case(case)
    dossier, created = services.case_forward(case_id=case.pk, actor=reviewer)
    assert created
    return dossier


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())  # cell text wraps: compare with single spaces


@pytest.fixture
def dossier(case_factory, reviewer, examiner):
    return build_dossier(case_factory, reviewer, examiner)


def test_chart_lists_every_claim_and_each_item_in_rank_order(dossier):
    chart = claim_chart_table(dossier)
    assert [claim.number for claim in chart.claims] == [1, 2, 3, 4]
    assert [item.rank for item in chart.items] == [1, 2]
    titles = {item.title for item in chart.items}
    assert titles == {NON_LATIN_TITLE, "Exhaust heat recovery handbook"}
    by_title = {item.title: item for item in chart.items}
    mueller = by_title[NON_LATIN_TITLE]
    assert (
        mueller.citation == "Müller — “Thermo” 熱; Müller, K.; 1998-05; DE 19812345 A1"
    )
    assert mueller.outcome_label == "Awaiting decision"
    assert chart.explanation(1, mueller.id) == "Claim 1 is shown in section 1."
    handbook = by_title["Exhaust heat recovery handbook"]
    assert chart.explanation(1, handbook.id) == ""
    assert chart.explanation(2, handbook.id) == "Claim 2 is shown in section 2."
    assert [claim.number for claim in chart.gaps] == [3, 4]
    assert [len(row.cells) for row in chart.rows] == [2, 2, 2, 2]


def test_chart_shows_what_was_forwarded_not_later_edits(dossier):
    item = dossier.items.order_by("rank").first()
    ClaimMapping.objects.filter(prior_art=item.prior_art_id).update(
        explanation="Rewritten after forwarding."
    )
    PriorArt.objects.filter(pk=item.prior_art_id).update(title="A new title")
    chart = claim_chart_table(dossier)
    assert "A new title" not in {i.title for i in chart.items}
    cells = [text for row in chart.rows for _item, text in row.cells]
    assert "Rewritten after forwarding." not in cells
    assert "Rewritten after forwarding." not in render_csv(chart)
    assert f"Claim {item.snapshot['mappings'][0]['claim_number']} is shown" in (
        render_csv(chart)
    )


def test_chart_runs_a_fixed_number_of_queries(
    case_factory, reviewer, examiner, django_assert_num_queries
):
    small = build_dossier(
        case_factory, reviewer, examiner, claims=2, evidence=[("a-q1", (1,), {})]
    )
    large = build_dossier(
        case_factory,
        reviewer,
        examiner,
        claims=6,
        evidence=[
            (f"b-q{n}", (1, 2, 3), {"title": f"Evidence number {n}"}) for n in range(5)
        ],
    )
    counts = []
    for dossier in (small, large):
        fresh = type(dossier).objects.select_related("case__agency").get(pk=dossier.pk)
        with django_assert_num_queries(2) as captured:
            claim_chart_table(fresh)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_csv_parses_into_one_row_per_claim_and_item_and_one_per_gap(dossier):
    rows = list(csv.DictReader(io.StringIO(render_csv(claim_chart_table(dossier)))))
    assert list(rows[0]) == [
        "claim_number",
        "claim_text",
        "rank",
        "tracking_ref",
        "citation",
        "explanation",
        "outcome",
    ]
    pairs = [(row["claim_number"], row["rank"]) for row in rows]
    ranks = {item.snapshot["title"]: str(item.rank) for item in dossier.items.all()}
    mueller, handbook = ranks[NON_LATIN_TITLE], ranks["Exhaust heat recovery handbook"]
    assert pairs == sorted(
        [("1", mueller), ("2", mueller), ("2", handbook), ("3", ""), ("4", "")],
        key=lambda pair: (pair[0], pair[1] or "0"),
    )
    first = rows[0]
    assert first["citation"].startswith(NON_LATIN_TITLE)
    assert first["explanation"] == "Claim 1 is shown in section 1."
    assert first["outcome"] == "Awaiting decision"
    assert first["claim_text"].startswith("Claim 1 text")
    assert rows[-1]["tracking_ref"] == rows[-1]["explanation"] == ""


def test_csv_neutralises_formulas_in_what_people_wrote(
    case_factory, reviewer, examiner
):
    dossier = build_dossier(
        case_factory,
        reviewer,
        examiner,
        claims=1,
        evidence=[("mallory-cc", (1,), {"title": '=HYPERLINK("http://x","y")'})],
    )
    # Snapshots are immutable; the formula has to be in the explanation when forwarded,
    # so build a second dossier whose mapping was rewritten before forwarding.
    other = case_factory("open", claims=1)
    case_services.case_appoint_reviewer(case=other, user=reviewer)
    prior_art = make_prior_art(other, verified_user("eve-cc"), claims=(1,))
    ClaimMapping.objects.filter(prior_art=prior_art).update(
        explanation="@SUM(1+1)*cmd|' /C calc'!A0"
    )
    services.prior_art_vet(prior_art=prior_art, actor=reviewer)
    close_case(other)
    second, _created = services.case_forward(case_id=other.pk, actor=reviewer)

    row = next(csv.DictReader(io.StringIO(render_csv(claim_chart_table(dossier)))))
    assert row["citation"].startswith("'=HYPERLINK")
    row = next(csv.DictReader(io.StringIO(render_csv(claim_chart_table(second)))))
    assert row["explanation"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    for value in ("-1", "+1", "=1", "@1"):
        assert csv_safe(value) == "'" + value
    assert csv_safe("Plain text") == "Plain text"


def test_pdf_has_every_claim_number_and_citation_title(dossier):
    content = render_pdf(claim_chart_table(dossier))
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for number in (1, 2, 3, 4):
        assert f"Claim {number}" in text
    assert "Exhaust heat recovery handbook" in text
    assert "Müller — “Thermo”" in text  # the CJK glyph is not in the font; no crash
    assert dossier.case.reference in text
    assert "Northland Patent Office" in text


def test_pdf_splits_many_items_into_tables_of_four_and_wraps_long_text(
    case_factory, reviewer, examiner
):
    evidence = [
        (f"many-{n}", (1, 2), {"title": f"Thermoelectric generator paper {n}"})
        for n in range(6)
    ]
    dossier = build_dossier(
        case_factory, reviewer, examiner, claims=3, evidence=evidence
    )
    long_text = "A very long explanation of the exhaust module. " * 110  # ~5,000 chars
    first = dossier.items.order_by("rank").first()
    first.snapshot["mappings"][0]["explanation"] = long_text  # in memory only
    chart = claim_chart_table(dossier)
    chart.cells[1][first.pk] = long_text
    text = pdf_text(render_pdf(chart))
    for n in range(6):
        assert f"Thermoelectric generator paper {n}" in text
    # The claim column is repeated in each of the two tables.
    assert text.count("Claim 3 (depends on 2)") == 2
    assert "A very long explanation of the exhaust module." in text


def test_an_empty_dossier_still_renders(case_factory, reviewer, examiner):
    dossier = build_dossier(case_factory, reviewer, examiner, claims=2, evidence=[])
    chart = claim_chart_table(dossier)
    assert chart.items == [] and len(chart.gaps) == 2
    rows = list(csv.reader(io.StringIO(render_csv(chart))))
    assert [row[0] for row in rows[1:]] == ["1", "2"]
    assert "Claim 2" in pdf_text(render_pdf(chart))
