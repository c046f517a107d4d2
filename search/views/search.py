"""The search page: one box, filters, results by kind with counts, highlighted snippets."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from submissions import ratelimits

from .. import engine
from ..forms import FILTER_NAMES, SearchForm

PAGE_SIZE = 20
# The engine ranks at most MAX_POOL documents of each of four kinds; no page lies beyond
# them, so a larger number in the address costs nothing.
MAX_PAGE = -(-engine.MAX_POOL * 4 // PAGE_SIZE)


@dataclass
class Tab:
    key: str
    label: str
    count: int
    capped: bool
    url: str
    current: bool


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_url: str


def _page_number(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def _url(params: QueryDict, drop: tuple[str, ...] = (), **changes) -> str:
    """``?`` and the query string of ``params`` without ``drop`` and the page number,
    with ``changes``: links keep everything the searcher chose."""
    query = params.copy()
    for name in ("page", *drop, *changes):
        query.pop(name, None)
    for name, value in changes.items():
        if value not in (None, ""):
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _display(form: SearchForm, name: str, value) -> str:
    field = form.fields[name]
    if name.startswith("date_"):
        return date_format(value, "j F Y")
    if hasattr(field, "queryset"):
        return str(value)
    return str(dict(field.choices).get(value, value))


def _active_filters(form: SearchForm, params: QueryDict) -> list[ActiveFilter]:
    """The valid filters in use, each with a link that searches again without it."""
    data = getattr(form, "cleaned_data", {})
    return [
        ActiveFilter(
            label=str(form.fields[name].label),
            value=_display(form, name, data[name]),
            remove_url=_url(params, drop=(name,)),
        )
        for name in FILTER_NAMES
        if data.get(name)
    ]


def _tabs(results: engine.Results, params: QueryDict, current: str) -> list[Tab]:
    counts = results.counts
    everything = Tab(
        key="",
        label=str(_("Everything")),
        count=sum(c.count for c in counts),
        capped=any(c.capped for c in counts),
        url=_url(params, drop=("type",)),
        current=not current,
    )
    return [everything] + [
        Tab(
            key=c.key,
            label=str(c.label),
            count=c.count,
            capped=c.capped,
            url=_url(params, type=c.key),
            current=c.key == current,
        )
        for c in counts
    ]


def _rate_message(rate: str) -> str:
    count, _slash, period = rate.partition("/")
    units = {"s": _("second"), "m": _("minute"), "h": _("hour"), "d": _("day")}
    return gettext(
        "You have made more than %(count)s searches in a %(period)s. Please wait a "
        "little, then search again: your search is kept in the box."
    ) % {"count": count, "period": units.get(period, period)}


def search_page(request):
    """``/search/?q=...``: what the user may see that matches, best first, 20 a page.
    A value the form cannot use is shown as an error beside its field and left out of the
    search; ``case`` must name a case the user may see (404 otherwise). The number of
    queries does not grow with the number of hits or documents. Searches count against
    the ``search`` rate limit (per user, or per address), as the API's do; past it the
    page answers 429 and keeps the search in the box."""
    params = request.GET
    form = SearchForm(params or None, user=request.user)
    if params:
        form.is_valid()
        if "case" in form.errors:
            raise Http404("No such case.")
    data = getattr(form, "cleaned_data", {})
    q = data.get("q", "")
    case = data.get("case")
    results = None
    rate_limited = ""
    if q:
        try:
            ratelimits.enforce(request, "search")
        except ratelimits.RateLimited as error:
            rate_limited = _rate_message(error.rate)
            q = ""
    if q:
        results = engine.search(
            user=request.user,
            q=q,
            filters=form.filters(),
            page=_page_number(params.get("page")),
            per_page=PAGE_SIZE,
        )
    current_type = data.get("type", "")
    context = {
        "form": form,
        "q": q,
        "case": case,
        "results": results,
        "active_filters": _active_filters(form, params),
        "widen_url": _url(params, drop=("case",)),
        "clear_url": _url(params, drop=FILTER_NAMES),
        "tabs": _tabs(results, params, current_type) if results else [],
        "current_type": current_type,
        "searched": bool(params) and not form.errors.get("q") and not rate_limited,
        "rate_limited": rate_limited,
    }
    if results is not None:
        shown = [c for c in results.counts if not current_type or c.key == current_type]
        context.update(
            shown_count=sum(c.count for c in shown),
            shown_capped=any(c.capped for c in shown),
            first_index=(results.page - 1) * PAGE_SIZE + 1,
            beyond_last_page=results.empty and results.total > 0,
            # Nothing left to look for: only common words, or only words to leave out.
            no_terms=bool(results.query.text) and not results.query.terms,
            previous_url=_url(
                params, page=results.page - 1 if results.page > 2 else None
            ),
            next_url=_url(params, page=results.page + 1),
            last_url=_url(params, page=results.num_pages),
        )
    return render(
        request, "search/search.html", context, status=429 if rate_limited else 200
    )
