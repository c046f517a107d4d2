"""The claim chart of a dossier: claims × forwarded evidence, each cell the contributor's
explanation of how that evidence bears on that claim.

Built in one place for the examiner's pages and the API, and rendered three ways: the
HTML table (``templates/review/examination/claim_chart.html``), CSV (``render_csv``) and
PDF (``render_pdf``). The cells come from each item's *snapshot*, never from the live
submission: the chart shows what the examiner received, whatever was edited since.
Every claim of the case is a row, including claims no item bears on, so the examiner
sees the gaps.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from functools import cache
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Dossier, ForwardTrigger, Outcome

CSV_COLUMNS = [
    "claim_number",
    "claim_text",
    "rank",
    "tracking_ref",
    "citation",
    "explanation",
    "outcome",
]
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PDF_ITEMS_PER_TABLE = 4


@dataclass(frozen=True)
class ChartClaim:
    number: int
    text: str
    depends_on: int | None = None


@dataclass(frozen=True)
class ChartItem:
    """One forwarded item as the examiner received it, with its current decision."""

    id: int
    rank: int
    tracking_ref: str
    title: str
    authors: str
    published_on: (
        str  # as precise as the contributor knew it: 2001, 2001-05, 2001-05-17
    )
    identifier: str
    url: str
    kind_label: str
    contributor: str
    outcome: str  # an Outcome value, "" while undecided
    outcome_label: str
    note: str

    @property
    def citation(self) -> str:
        """Title; authors; date; identifier (the parts that are known)."""
        parts = (self.title, self.authors, self.published_on, self.identifier)
        return "; ".join(part for part in parts if part)


@dataclass(frozen=True)
class ChartRow:
    claim: ChartClaim
    cells: list[tuple[ChartItem, str]]  # in item (rank) order; "" where nothing maps

    @property
    def is_gap(self) -> bool:
        return not any(text for _item, text in self.cells)


@dataclass
class ClaimChart:
    case: object
    dossier: Dossier
    claims: list[ChartClaim]
    items: list[ChartItem]
    cells: dict[int, dict[int, str]] = field(default_factory=dict)

    def explanation(self, claim_number: int, item_id: int) -> str:
        return self.cells.get(claim_number, {}).get(item_id, "")

    @property
    def rows(self) -> list[ChartRow]:
        return [
            ChartRow(
                claim,
                [
                    (item, self.explanation(claim.number, item.id))
                    for item in self.items
                ],
            )
            for claim in self.claims
        ]

    @property
    def gaps(self) -> list[ChartClaim]:
        """Claims that no forwarded item bears on."""
        return [row.claim for row in self.rows if row.is_gap]


def _published_on(snapshot: dict) -> str:
    value = snapshot.get("published_on") or ""
    precision = snapshot.get("published_on_precision") or "day"
    if precision == "year":
        return value[:4]
    if precision == "month":
        return value[:7]
    return value


def _outcome_label(outcome: str) -> str:
    if outcome in Outcome.values:
        return str(Outcome(outcome).label)
    return _("Awaiting decision")


def claim_chart_table(dossier: Dossier) -> ClaimChart:
    """The chart of ``dossier``: the case's claims in number order, its items in rank
    order, and the explanations from the items' snapshots. Two queries (three if the
    dossier's case is not loaded yet), however many claims and items."""
    case = dossier.case
    claims = {
        claim.number: ChartClaim(claim.number, claim.text, claim.depends_on)
        for claim in case.claims.order_by("number")
    }
    items: list[ChartItem] = []
    cells: dict[int, dict[int, str]] = {}
    for item in dossier.items.select_related("prior_art__author").order_by("rank"):
        snapshot = item.display_snapshot()
        items.append(
            ChartItem(
                id=item.pk,
                rank=item.rank,
                tracking_ref=snapshot.get("tracking_ref", ""),
                title=snapshot.get("title", ""),
                authors=snapshot.get("authors") or "",
                published_on=_published_on(snapshot),
                identifier=snapshot.get("identifier") or "",
                url=snapshot.get("url") or "",
                kind_label=snapshot.get("kind_label") or "",
                contributor=snapshot.get("contributor") or "",
                outcome=item.outcome,
                outcome_label=_outcome_label(item.outcome),
                note=item.note,
            )
        )
        for mapping in snapshot.get("mappings") or []:
            number = int(mapping["claim_number"])
            # A claim the snapshot names but the case no longer lists still gets a row.
            claims.setdefault(number, ChartClaim(number, mapping.get("claim_text", "")))
            cells.setdefault(number, {})[item.pk] = mapping.get("explanation") or ""
    return ClaimChart(
        case=case,
        dossier=dossier,
        claims=[claims[number] for number in sorted(claims)],
        items=items,
        cells=cells,
    )


# --- CSV -----------------------------------------------------------------------------


def csv_safe(value) -> str:
    """Neutralise a cell a spreadsheet would run as a formula: a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def render_csv(chart: ClaimChart) -> str:
    """One row per claim and item that bears on it (claims in number order, items in
    rank order); a claim that nothing bears on is one row with the item columns empty.
    Text written by people is guarded against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in chart.rows:
        pairs = [(item, text) for item, text in row.cells if text]
        claim_cells = [row.claim.number, csv_safe(row.claim.text)]
        if not pairs:
            writer.writerow(claim_cells + ["", "", "", "", ""])
        for item, text in pairs:
            writer.writerow(
                claim_cells
                + [
                    item.rank,
                    csv_safe(item.tracking_ref),
                    csv_safe(item.citation),
                    csv_safe(text),
                    csv_safe(item.outcome_label),
                ]
            )
    return out.getvalue()


# --- PDF -----------------------------------------------------------------------------


@cache
def _fonts() -> tuple[str, str]:
    """Register reportlab's own Bitstream Vera (wider than Latin-1: dashes, curly quotes,
    accents) once per process; the built-in PDF fonts cannot show them."""
    import reportlab
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, filename in (
        ("Vera", "Vera.ttf"),
        ("VeraBd", "VeraBd.ttf"),
        ("VeraIt", "VeraIt.ttf"),
        ("VeraBI", "VeraBI.ttf"),
    ):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))
    addMapping("Vera", 0, 0, "Vera")
    addMapping("Vera", 1, 0, "VeraBd")
    addMapping("Vera", 0, 1, "VeraIt")
    addMapping("Vera", 1, 1, "VeraBI")
    return "Vera", "VeraBd"


def _markup(text: str) -> str:
    """Plain text as Paragraph markup: escaped, line breaks kept."""
    return escape(text or "").replace("\r\n", "\n").replace("\n", "<br/>")


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = _fonts()
    base = ParagraphStyle("chart", fontName=regular, fontSize=8, leading=10)
    return {
        "cell": base,
        "head": ParagraphStyle("head", parent=base, fontName=bold),
        "body": ParagraphStyle("body", parent=base, fontSize=10, leading=13),
        "title": ParagraphStyle(
            "title", parent=base, fontName=bold, fontSize=16, leading=20, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=bold,
            fontSize=12,
            leading=15,
            spaceBefore=12,
            spaceAfter=6,
        ),
    }


def _table(rows, widths):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#b1b4b6")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _claim_cell(claim: ChartClaim, styles) -> list:
    from reportlab.platypus import Paragraph

    heading = _("Claim %(number)s") % {"number": claim.number}
    if claim.depends_on:
        heading += " " + _("(depends on %(n)s)") % {"n": claim.depends_on}
    return [
        Paragraph(_markup(heading), styles["head"]),
        Paragraph(_markup(claim.text), styles["cell"]),
    ]


def render_pdf(chart: ClaimChart) -> bytes:
    """The chart as a landscape A4 PDF: the case, the list of citations with their
    decisions, then claims × items, four items to a table (the claim column repeated),
    each table's header repeated on every page it runs over."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = _styles()
    case, dossier = chart.case, chart.dossier

    def p(text, style="cell"):
        return Paragraph(_markup(text), styles[style])

    buffer = io.BytesIO()
    margin = 12 * mm
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=_("Claim chart: %(ref)s") % {"ref": case.reference},
        author="OpenDocket",
        subject=case.title,
    )
    width = doc.width
    story = [
        p(_("Claim chart: %(ref)s") % {"ref": case.reference}, "title"),
        p(case.title, "body"),
        p(
            _("Agency: %(agency)s") % {"agency": case.agency.name},
            "body",
        ),
        p(
            _("Forwarded on %(date)s: %(trigger)s")
            % {
                "date": date_format(
                    timezone.localtime(dossier.forwarded_at), "j F Y, H:i T"
                ),
                "trigger": ForwardTrigger(dossier.trigger).label
                if dossier.trigger in ForwardTrigger.values
                else dossier.trigger,
            },
            "body",
        ),
        p(
            _(
                "Each cell is the contributor's explanation as it was forwarded. "
                "%(items)d items, %(claims)d claims."
            )
            % {"items": len(chart.items), "claims": len(chart.claims)},
            "body",
        ),
        p(_("Evidence"), "h2"),
    ]
    if chart.items:
        heads = [_("Rank"), _("Reference"), _("Citation"), _("Kind")]
        heads += [_("Contributor"), _("Decision")]
        rows = [[p(text, "head") for text in heads]]
        for item in chart.items:
            rows.append(
                [
                    p(str(item.rank)),
                    p(item.tracking_ref),
                    [p(item.citation)] + ([p(item.url)] if item.url else []),
                    p(item.kind_label),
                    p(item.contributor),
                    [p(item.outcome_label)] + ([p(item.note)] if item.note else []),
                ]
            )
        fractions = (0.05, 0.1, 0.45, 0.1, 0.1, 0.2)
        story.append(_table(rows, [width * f for f in fractions]))
    else:
        story.append(p(_("No evidence was forwarded on this case."), "body"))

    story.append(p(_("Claims and evidence"), "h2"))
    groups = [
        chart.items[start : start + PDF_ITEMS_PER_TABLE]
        for start in range(0, len(chart.items), PDF_ITEMS_PER_TABLE)
    ] or [[]]
    claim_width = width * 0.24
    for index, group in enumerate(groups):
        item_width = (width - claim_width) / max(len(group), PDF_ITEMS_PER_TABLE)
        header = [p(_("Claim"), "head")] + [
            [p(f"#{item.rank} {item.tracking_ref}", "head"), p(item.title)]
            for item in group
        ]
        rows = [header]
        for claim in chart.claims:
            rows.append(
                [_claim_cell(claim, styles)]
                + [p(chart.explanation(claim.number, item.id)) for item in group]
            )
        if index:
            story.append(Spacer(1, 6 * mm))
        story.append(_table(rows, [claim_width] + [item_width] * len(group)))
    doc.build(story)
    return buffer.getvalue()
