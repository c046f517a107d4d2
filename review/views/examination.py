"""The examiner's pages: the inbox of forwarded dossiers, a dossier with a decision form
per item, and the claim chart on screen, as CSV and as PDF.

Who may open what is ``review.permissions.dossiers_for_user``: the dossiers of the cases
the user examines. A dossier outside it is a 404 (its existence is not the user's to
know), whoever asks; only the inbox itself answers 403, to people who examine nothing.
Decisions go through ``review.services.dossier_item_decide``, the same service as the API.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cases.models import CaseStatus
from cases.permissions import EXAMINE_CASE, EXAMINER, ROLE_GROUPS, cases_for_user

from ..claim_chart import claim_chart_table, render_csv, render_pdf
from ..models import Dossier, DossierItem, ForwardTrigger, Outcome
from ..permissions import dossiers_for_user
from ..services import dossier_item_decide
from ..services.decisions import NOTE_MAX

PAGE_SIZE = 25
TEMPLATES = "review/examination/"

# What each outcome means, in the words the examiner reads next to the choice.
OUTCOME_HELP = {
    Outcome.USED_IN_ACTION: gettext_lazy(
        "You relied on it in an office action, for example to reject or narrow a "
        "claim. This is the strongest result for the contributor."
    ),
    Outcome.RELEVANT: gettext_lazy(
        "It bears on the claims and you took it into account, but you did not rely "
        "on it in an action."
    ),
    Outcome.CUMULATIVE: gettext_lazy(
        "It shows nothing that other evidence you already had does not show."
    ),
    Outcome.NOT_RELEVANT: gettext_lazy("It does not bear on the claims of this case."),
}


class DecisionForm(forms.Form):
    """The examiner's decision on one item (one form per item, told apart by prefix)."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("Your decision"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a decision for this item.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the contributor"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Sent to the person who found this evidence, with your decision. "
            "At most 5,000 characters."
        ),
        error_messages={
            "max_length": gettext_lazy(
                "Keep the note under 5,000 characters (it has %(show_value)d)."
            )
        },
    )

    def options(self) -> list[tuple]:
        """Each radio with the plain explanation of its outcome, which the radio names
        as its description (``aria-describedby``)."""
        options = []
        for option in self["outcome"]:
            attrs = option.data["attrs"]
            attrs["aria-describedby"] = f"{attrs['id']}_hint"
            options.append((option, OUTCOME_HELP.get(option.data["value"], "")))
        return options


def _prefix(item) -> str:
    return f"item-{item.pk}"


def _is_examiner(user) -> bool:
    """Whether ``user`` examines at all: a superuser, one of the Examiners, or someone
    holding an examiner's grant on any case (their dossiers may simply not exist yet)."""
    return bool(
        user.is_superuser
        or user.groups.filter(name=ROLE_GROUPS[EXAMINER]).exists()
        or cases_for_user(user, EXAMINE_CASE).exists()
    )


def _dossier_or_404(user, pk: int) -> Dossier:
    dossier = (
        dossiers_for_user(user)
        .select_related("case__agency", "forwarded_by")
        .filter(pk=pk)
        .first()
    )
    if dossier is None:
        raise Http404(_("No dossier found."))
    return dossier


def _forbidden(request, message: str, case=None):
    return render(
        request,
        "submissions/forbidden.html",
        {"title": _("You cannot do this"), "message": message, "case": case},
        status=403,
    )


# --- Inbox ---------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request):
    """The dossiers of the cases the user examines, with their progress: those still
    awaiting decisions first, newest first within each group."""
    dossiers = (
        dossiers_for_user(request.user)
        .select_related("case__agency")
        .annotate(decided_count=Count("items", filter=~Q(items__outcome="")))
        .order_by(F("decided_at").desc(nulls_first=True), "-forwarded_at", "-id")
    )
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    if not page.object_list and not _is_examiner(request.user):
        return _forbidden(
            request,
            _(
                "The examiner's inbox is for examiners. An agency editor assigns "
                "examiners to each case."
            ),
        )
    for dossier in page.object_list:
        dossier.is_decided = bool(
            dossier.decided_at or dossier.case.status == CaseStatus.DECIDED
        )
        dossier.left = dossier.item_count - dossier.decided_count
    return render(request, TEMPLATES + "inbox.html", {"page": page})


# --- Dossier and decisions -----------------------------------------------------------


_ITEM_FIELDS = (
    "id",
    "dossier",
    "prior_art",
    "rank",
    "score",
    "snapshot",
    "outcome",
    "note",
    "decided_at",
)


def _published(snapshot: dict) -> str:
    """The publication date as precisely as the contributor knew it."""
    value = snapshot.get("published_on")
    if not value:
        return ""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    precision = snapshot.get("published_on_precision")
    return date_format(day, {"year": "Y", "month": "F Y"}.get(precision, "j F Y"))


def _trigger_label(dossier: Dossier) -> str:
    if dossier.trigger in ForwardTrigger.values:
        return ForwardTrigger(dossier.trigger).label
    return dossier.trigger


def _dossier_context(request, dossier: Dossier, bound: DecisionForm | None = None):
    """The dossier page: each item with its snapshot, decision and form. ``bound`` is
    the form that failed, shown with its errors and what the examiner typed."""
    items = list(
        DossierItem.objects.filter(dossier=dossier)
        .select_related("prior_art__author")
        .only(
            *_ITEM_FIELDS,
            "prior_art__updated_at",
            "prior_art__author__username",
            "prior_art__author__erased_at",
        )
        .order_by("rank")
    )
    claims = {claim.number: claim for claim in dossier.case.claims.all()}
    for item in items:
        item.edited_after_forwarding = item.prior_art.updated_at > dossier.forwarded_at
        item.outcome_help = OUTCOME_HELP.get(item.outcome, "")
        item.snapshot = item.display_snapshot()  # shown, never saved
        item.published = _published(item.snapshot)
        for mapping in item.snapshot.get("mappings") or []:
            claim = claims.get(mapping.get("claim_number"))
            mapping["depends_on"] = claim.depends_on if claim else None
        prefix = _prefix(item)
        if bound is not None and bound.prefix == prefix:
            item.form = bound
        else:
            item.form = DecisionForm(
                prefix=prefix, initial={"outcome": item.outcome, "note": item.note}
            )
    decided = sum(1 for item in items if item.outcome)
    return {
        "dossier": dossier,
        "case": dossier.case,
        "items": items,
        "decided": decided,
        "total": len(items),
        "trigger": _trigger_label(dossier),
        "case_decided": dossier.case.status == CaseStatus.DECIDED,
        "form": bound,  # for the error summary
    }


@login_required
@require_GET
def dossier(request, pk: int):
    """One dossier: the case, every item as forwarded, and a decision form per item."""
    found = _dossier_or_404(request.user, pk)
    return render(request, TEMPLATES + "dossier.html", _dossier_context(request, found))


@login_required
@require_POST
def decide(request, pk: int):
    """Record the examiner's decision on one item, then back to it on the dossier."""
    item = (
        DossierItem.objects.filter(pk=pk, dossier__in=dossiers_for_user(request.user))
        .only("id", "dossier_id")
        .first()
    )
    if item is None:
        raise Http404(_("No dossier item found."))
    found = _dossier_or_404(request.user, item.dossier_id)
    form = DecisionForm(request.POST, prefix=_prefix(item))
    template = TEMPLATES + "dossier.html"
    if not form.is_valid():
        return render(request, template, _dossier_context(request, found, form))
    try:
        dossier_item_decide(
            item=item,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except PermissionDenied as error:
        return _forbidden(request, str(error), case=found.case)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
        return render(request, template, _dossier_context(request, found, form))
    left = found.items.filter(outcome="").count()
    label = Outcome(form.cleaned_data["outcome"]).label
    if left:
        messages.success(
            request,
            ngettext(
                "Decision saved: %(outcome)s. %(left)d item still needs a decision.",
                "Decision saved: %(outcome)s. %(left)d items still need a decision.",
                left,
            )
            % {"outcome": label, "left": left},
        )
    else:
        messages.success(
            request,
            _(
                "Decision saved: %(outcome)s. Every item has a decision: the case "
                "is decided."
            )
            % {"outcome": label},
        )
    url = reverse("review:dossier", kwargs={"pk": found.pk})
    return redirect(f"{url}#item-{item.pk}")


# --- Claim chart ---------------------------------------------------------------------


def _chart(request, pk: int):
    return claim_chart_table(_dossier_or_404(request.user, pk))


def _filename(chart, extension: str) -> str:
    slug = slugify(chart.case.reference) or f"dossier-{chart.dossier.pk}"
    return f"claim-chart-{slug}.{extension}"


@login_required
@require_GET
def claim_chart(request, pk: int):
    """Claims × forwarded items on screen; each cell the contributor's explanation."""
    chart = _chart(request, pk)
    return render(
        request,
        TEMPLATES + "claim_chart.html",
        {"chart": chart, "case": chart.case, "dossier": chart.dossier},
    )


@never_cache
@login_required
@require_GET
def claim_chart_csv(request, pk: int):
    chart = _chart(request, pk)
    return HttpResponse(
        render_csv(chart),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{_filename(chart, "csv")}"'
        },
    )


@never_cache
@login_required
@require_GET
def claim_chart_pdf(request, pk: int):
    chart = _chart(request, pk)
    return HttpResponse(
        render_pdf(chart),
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{_filename(chart, "pdf")}"'
        },
    )
