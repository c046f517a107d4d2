from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from . import selectors
from .forms import CaseFilterForm

PAGE_SIZE = 20


def case_list(request):
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(user=request.user, filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


def case_detail(request, pk: int):
    case = selectors.case_detail(user=request.user, pk=pk)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "claims": case.claims.all(),
            "documents": case.documents.all(),
            "areas": case.technology_areas.all(),
            "now": timezone.now(),
        },
    )
