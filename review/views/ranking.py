"""The ranking board of a case: vetted evidence in rank order with the parts of each
score, claim coverage, and the Forward button (``review.services.case_forward``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from submissions import permissions as submission_perms

from .. import services
from ..forms import (
    ForwardForm,
)
from ..models import Dossier, ForwardTrigger
from ..permissions import user_can_examine, user_can_forward
from ..selectors import (
    claim_coverage,
    ranked_for_case,
)
from ._common import (
    T,
    _forbidden,
    _mean,
    _reviewed_case,
    page_url,
)

# --- Ranking and forwarding ----------------------------------------------------------------


def _ranking_context(request, case, *, forward_form=None) -> dict:
    user = request.user
    ranked = ranked_for_case(case)
    for row in ranked:
        row.prior_art.community_mean = _mean(
            row.prior_art.votes_sum, row.prior_art.votes_count
        )
    dossier = Dossier.objects.filter(case=case).first()
    can_forward = dossier is None and user_can_forward(user, case)
    return {
        "case": case,
        "ranked": ranked,
        "within": sum(1 for row in ranked if row.rank <= case.forward_limit),
        "coverage": claim_coverage(case),
        "dossier": dossier,
        "forwarded": list(dossier.items.order_by("rank")) if dossier else [],
        "can_open_dossier": bool(dossier) and user_can_examine(user, case),
        "can_forward": can_forward,
        "window_open": submission_perms.window_open(case),
        "forward_form": forward_form or (ForwardForm() if can_forward else None),
        "reviewer_guidelines_url": page_url(request, "guidelines-reviewers"),
    }


@login_required
@require_GET
def ranking(request, pk: int):
    """The case's vetted evidence in rank order, the forward cut line, claim coverage."""
    case = _reviewed_case(request.user, pk)
    return render(request, T + "ranking.html", _ranking_context(request, case))


def _already_forwarded(request, dossier: Dossier) -> None:
    messages.info(
        request,
        ngettext(
            "This case was already forwarded on %(date)s, with %(n)d item. Nothing "
            "changed.",
            "This case was already forwarded on %(date)s, with %(n)d items. Nothing "
            "changed.",
            dossier.item_count,
        )
        % {
            "date": date_format(localtime(dossier.forwarded_at), "j F Y, H:i"),
            "n": dossier.item_count,
        },
    )


@login_required
@require_POST
def forward(request, pk: int):
    """Forward the case's top vetted evidence to the examiner now (once per case)."""
    case = _reviewed_case(request.user, pk)
    url = reverse("review:ranking", args=[case.pk])
    existing = Dossier.objects.filter(case=case).first()
    if existing is not None:
        _already_forwarded(request, existing)
        return redirect(url)
    if not user_can_forward(request.user, case):
        return _forbidden(
            request,
            _(
                "Evidence can be forwarded while a case is open or closed; case "
                "%(ref)s is %(status)s."
            )
            % {"ref": case.reference, "status": case.get_status_display().lower()},
            case=case,
            title=_("This case cannot be forwarded"),
        )
    form = ForwardForm(request.POST)
    if not form.is_valid():
        context = _ranking_context(request, case, forward_form=form)
        return render(request, T + "ranking.html", context)
    try:
        dossier, created = services.case_forward(
            case_id=case.pk, actor=request.user, trigger=ForwardTrigger.REVIEWER
        )
    except PermissionDenied as error:
        return _forbidden(request, str(error), case=case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(url)
    if not created:
        _already_forwarded(request, dossier)
        return redirect(url)
    messages.success(
        request,
        ngettext(
            "Forwarded %(n)d item to the examiner. The review of %(ref)s has ended.",
            "Forwarded %(n)d items to the examiner. The review of %(ref)s has ended.",
            dossier.item_count,
        )
        % {"n": dossier.item_count, "ref": case.reference},
    )
    return redirect(url)
