"""Public statistics pages and their CSV downloads: no sign-in, numbers only.

Charts are SVG drawn on the server by pygal and put inline in the page: no script (pygal's
own configuration script is removed), no client library, and every chart comes with its
numbers in a table. Labels are our own (dates, statuses, outcomes); pygal escapes text.
"""

from __future__ import annotations

import csv
from math import ceil

import pygal
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

from cases.models import Case

from ..statistics import WEEK, Statistics, case_statistics, csv_rows, site_statistics

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#b1b4b6",
    opacity="1",
    opacity_hover="1",
    transition="none",
    colors=("#1d4f91",),
    font_family='system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    tooltip_font_size=14,
    title_font_size=16,
    legend_font_size=14,
)
CHART_OPTIONS = {
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "explicit_size": False,
    "show_legend": False,
    "width": 800,
    "height": 360,
    "margin": 16,
}
# Characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _svg(chart, *, labelled_by: str) -> str:
    """The chart as inline SVG: scripts and comments removed, labelled by the figure's
    caption for assistive technology (the table beside it carries the numbers)."""

    def clean(root):
        for parent in list(root.iter()):
            for child in list(parent):
                tag = child.tag
                if not isinstance(tag, str) or tag.rsplit("}", 1)[-1] == "script":
                    parent.remove(child)  # scripts, comments, processing instructions
        root.set("role", "img")
        root.set("aria-labelledby", labelled_by)
        return root

    chart.add_xml_filter(clean)
    svg = chart.render(is_unicode=True)
    # Belt and braces: the page embeds this as markup, so refuse anything executable.
    if "<script" in svg.lower():
        raise ValueError("A chart must not carry a script.")
    return mark_safe(svg)  # noqa: S308 - escaped by pygal's serializer, scripts removed


def _integer_axis(top: int) -> list[int]:
    step = max(1, ceil(max(top, 1) / 5))
    return list(range(0, max(top, 1) + step, step))


def period_label(day) -> str:
    return date_format(day, "j M Y")


def over_time_chart(stats: Statistics, *, labelled_by: str) -> str:
    """Bars of submissions per period."""
    counts = [count for _day, count in stats.over_time]
    chart = pygal.Bar(
        **CHART_OPTIONS,
        x_label_rotation=30 if len(counts) > 6 else 0,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, ceil(len(counts) / 12)),
        truncate_label=-1,
        y_labels=_integer_axis(max(counts, default=0)),
        value_formatter=lambda v: f"{v:.0f}",
    )
    chart.x_labels = [period_label(day) for day, _n in stats.over_time]
    chart.add(_("Submissions"), counts)
    return _svg(chart, labelled_by=labelled_by)


def buckets_chart(buckets, *, labelled_by: str) -> str:
    """Horizontal bars, one per bucket, top to bottom in the given order, values printed
    on the bars."""
    rows = list(reversed(buckets))  # pygal draws the first label at the bottom
    chart = pygal.HorizontalBar(
        **CHART_OPTIONS,
        print_values=True,
        truncate_label=-1,
        y_labels=_integer_axis(max((b.count for b in rows), default=0)),
        value_formatter=lambda v: f"{v:.0f}",
    )
    chart.x_labels = [b.label for b in rows]
    chart.add(_("Submissions"), [b.count for b in rows])
    return _svg(chart, labelled_by=labelled_by)


def _context(stats: Statistics) -> dict:
    return {
        "stats": stats,
        "per_week": stats.period == WEEK,
        "over_time_svg": over_time_chart(stats, labelled_by="over-time-caption")
        if stats.has_submissions
        else "",
        "screening_svg": buckets_chart(stats.screening, labelled_by="screening-caption")
        if stats.has_submissions
        else "",
    }


def _published_case(pk: int) -> Case:
    case = Case.objects.published().select_related("agency").filter(pk=pk).first()
    if case is None:
        raise Http404("No such case.")
    return case


def site(request):
    """Site-wide statistics: submissions over time, contributors, screening outcomes,
    forwarded and used rates, cases by status."""
    return render(request, "review/stats/site.html", _context(site_statistics()))


def case(request, pk: int):
    """One published case's statistics; 404 for a case that is not published."""
    case = _published_case(pk)
    return render(request, "review/stats/case.html", _context(case_statistics(case)))


def safe_cell(value) -> str:
    """A cell a spreadsheet will not run: a leading formula character is quoted."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _csv(stats: Statistics, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(["metric", "bucket", "value"])
    for row in csv_rows(stats):
        writer.writerow([safe_cell(cell) for cell in row])
    return response


def site_csv(request):
    """The site-wide figures as CSV: metric, bucket, value."""
    return _csv(site_statistics(), "opendocket-statistics.csv")


def case_csv(request, pk: int):
    """One published case's figures as CSV: metric, bucket, value."""
    case = _published_case(pk)
    return _csv(case_statistics(case), f"opendocket-case-{case.pk}-statistics.csv")
