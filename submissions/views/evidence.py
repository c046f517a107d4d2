"""Prior-art pages: submit, view, edit and withdraw prior art; rate and report it;
download attachments.

Views stay thin: a form validates the input, a selector reads, a service writes, and the
permission helpers decide what is shown. What a service refuses comes back to the person
as form errors (ValidationError), a 403 page that says why (PermissionDenied) or a 429
page that keeps their input (RateLimited).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import selectors as case_selectors
from review.permissions import user_can_screen

from .. import permissions as perms
from .. import ratelimits, selectors, services
from ..forms import (
    CommentForm,
    EditPriorArtForm,
    FlagForm,
    RatingForm,
    SubmitPriorArtForm,
    WithdrawForm,
    add_service_errors,
)
from ..models import EDITABLE_STATES, Attachment, PriorArtStatus, Vote
from . import citation
from .common import (
    GET_POST,
    STAFF_ONLY_EVENTS,
    _case_refusal,
    _rate_limited,
    _staff_conflict,
    forbidden,
)

# --- Prior art -----------------------------------------------------------------------

# Submissions that will never become public: the duplicate warning does not name them
# to someone who cannot see them.
SETTLED_UNSEEN = {PriorArtStatus.REJECTED, PriorArtStatus.DUPLICATE}


@login_required
@GET_POST
def submit(request, pk: int):
    """Submit prior art on an open case, optionally citing a library document (found
    with the form's second button, or named by ``?library=<id>``); warns of likely
    duplicates before saving."""
    case = case_selectors.case_detail(user=request.user, pk=pk)
    if not perms.user_can_submit(request.user, case):
        if _staff_conflict(request.user, case):
            return forbidden(
                request,
                str(services.STAFF_CANNOT_SUBMIT),
                title=_("You cannot submit evidence on this case"),
                reason="staff",
                case=case,
            )
        return _case_refusal(request, case, _("submit evidence"))
    claims = list(case.claims.all())
    template = "submissions/prior_art_form.html"
    context = {"case": case, "mode": "submit", **citation.picker_context(request)}
    if request.method != "POST":
        document = citation.preselected_document(request)
        form = SubmitPriorArtForm(
            claims=claims,
            initial={"library_document": document.pk} if document else None,
        )
        form.offer_library([], chosen=document)
        return render(request, template, {**context, "form": form})

    form = SubmitPriorArtForm(request.POST, request.FILES, claims=claims)
    if citation.wants_library_search(request):
        form = SubmitPriorArtForm(initial=form.typed_input(), claims=claims)
        return citation.find_in_library(request, form, template, context)
    context.update(form=form, files_dropped=bool(request.FILES))
    if not form.is_valid():
        return render(request, template, context)
    data = form.prior_art_data()
    form.offer_library([], chosen=data["library_document"])
    if not form.cleaned_data["confirm_not_duplicate"]:
        # Compared as it will be saved: with what the cited document fills in.
        cited = services.prefilled_from_library(data, data["library_document"])
        duplicates = list(
            services.find_duplicates(
                case=case,
                identifier=cited.get("identifier") or "",
                url=cited.get("url") or "",
                title=cited.get("title") or "",
                excerpt=cited.get("excerpt") or "",
                library_document=data["library_document"],
            )
        )
        for duplicate in duplicates:
            duplicate.case = case  # the same case: spares a query per duplicate
            duplicate.visible = perms.user_can_view_prior_art(request.user, duplicate)
        # One the user cannot see is named only while it may still become public
        # (awaiting screening, hidden by reports): a rejected item, or one marked as
        # a duplicate, never will, and saying it exists would only tell what was
        # turned down.
        duplicates = [
            duplicate
            for duplicate in duplicates
            if duplicate.visible or duplicate.status not in SETTLED_UNSEEN
        ]
        if duplicates:
            return render(request, template, {**context, "duplicates": duplicates})
    try:
        ratelimits.enforce(request, "submit")
        prior_art = services.prior_art_submit(
            case=case,
            author=request.user,
            data=data,
            mappings=form.mappings(),
            files=form.cleaned_data["attachments"],
        )
    except ratelimits.RateLimited as error:
        return _rate_limited(request, template, context, error)
    except PermissionDenied as error:
        return forbidden(request, str(error), case=case)
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, template, context)
    messages.success(request, _("Thank you: your evidence has been submitted."))
    return redirect(prior_art)


def detail(request, ref: str):
    """A submission's page; for its contributor, the receipt and the status history."""
    prior_art = selectors.prior_art_detail(user=request.user, ref=ref)
    return render(
        request,
        "submissions/prior_art_detail.html",
        _detail_context(request, prior_art),
    )


def _detail_context(request, prior_art, **forms) -> dict:
    user = request.user
    case = prior_art.case
    is_owner = user.is_authenticated and prior_art.author_id == user.pk
    is_staff = perms.user_is_case_staff(user, case)
    comments = selectors.comments_for_prior_art(prior_art=prior_art)
    can_rate = perms.user_can_rate(user, prior_art)
    current_rating = None
    if can_rate:
        current_rating = (
            Vote.objects.filter(prior_art=prior_art, voter=user)
            .values_list("rating", flat=True)
            .first()
        )
    can_flag = perms.user_can_flag(user, prior_art=prior_art)
    can_comment = perms.user_can_comment(user, case)
    return {
        "case": case,
        "prior_art": prior_art,
        "is_owner": is_owner,
        "is_staff": is_staff,
        "can_edit": perms.user_can_edit_prior_art(user, prior_art),
        "can_download": perms.user_can_download_attachment(user, prior_art),
        "can_rate": can_rate,
        # The case's own staff rank evidence through review, not ratings: say so where
        # the rating form would be.
        "staff_cannot_rate": (
            not can_rate
            and not is_owner
            and is_staff
            and prior_art.is_public
            and perms.window_open(case)
        ),
        "can_flag": can_flag,
        "can_comment": can_comment,
        "cited_document": citation.cited_document(prior_art),
        "can_moderate": perms.user_can_moderate(user, case),
        # Reviewers' own ratings and notes are for the other reviewers, not the author.
        "history": list(prior_art.audit_events.exclude(action__in=STAFF_ONLY_EVENTS))
        if is_owner
        else [],
        "dossier_item": prior_art.dossier_items.first()
        if prior_art.status == PriorArtStatus.FORWARDED
        else None,
        "can_screen": is_staff and user_can_screen(user, case),
        "comments": comments,
        "current_rating": current_rating,
        "rating_form": forms.get("rating_form")
        or (RatingForm(initial={"rating": current_rating}) if can_rate else None),
        "flag_form": forms.get("flag_form") or (FlagForm() if can_flag else None),
        "comment_form": (
            CommentForm(
                case=case, user=user, initial={"prior_art": prior_art.tracking_ref}
            )
            if can_comment
            else None
        ),
    }


def _edit_refusal(request, prior_art):
    if prior_art.author_id != request.user.pk:
        message = _("Only the contributor who submitted this evidence can change it.")
    elif not perms.window_open(prior_art.case):
        message = _(
            "The review window of this case has closed, so this submission is now "
            "read-only."
        )
    elif prior_art.status not in EDITABLE_STATES:
        message = _("This submission is %(status)s, so it is read-only now.") % {
            "status": prior_art.get_status_display().lower()
        }
    else:
        message = _("You cannot change this submission.")
    return forbidden(
        request,
        message,
        title=_("This submission is read-only"),
        prior_art=prior_art,
        case=prior_art.case,
    )


@login_required
@GET_POST
def edit(request, ref: str):
    """The contributor edits a submission while it is editable."""
    prior_art = selectors.prior_art_detail(user=request.user, ref=ref)
    if not perms.user_can_edit_prior_art(request.user, prior_art):
        return _edit_refusal(request, prior_art)
    case = prior_art.case
    attachments = list(prior_art.attachments.all())
    kwargs = {"claims": case.claims.all(), "attachments": attachments}
    template = "submissions/prior_art_form.html"
    context = {
        "case": case,
        "prior_art": prior_art,
        "mode": "edit",
        **citation.picker_context(request),
    }
    if request.method != "POST":
        form = EditPriorArtForm(
            initial=EditPriorArtForm.initial_for(prior_art), **kwargs
        )
        return render(request, template, {**context, "form": form})
    form = EditPriorArtForm(request.POST, request.FILES, **kwargs)
    if citation.wants_library_search(request):
        form = EditPriorArtForm(initial=form.typed_input(), **kwargs)
        return citation.find_in_library(request, form, template, context)
    context.update(form=form, files_dropped=bool(request.FILES))
    if not form.is_valid():
        return render(request, template, context)
    try:
        prior_art = services.prior_art_update(
            prior_art=prior_art,
            actor=request.user,
            data=form.prior_art_data(),
            mappings=form.mappings(),
            files=form.cleaned_data["attachments"],
            remove_attachment_ids=form.remove_attachment_ids(),
        )
    except PermissionDenied as error:
        return forbidden(
            request, str(error), title=_("This submission is read-only"), case=case
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, template, context)
    messages.success(request, _("Your changes have been saved."))
    return redirect(prior_art)


@login_required
@GET_POST
def withdraw(request, ref: str):
    """Confirm, then withdraw a submission while it is editable."""
    prior_art = selectors.prior_art_detail(user=request.user, ref=ref)
    if not perms.user_can_edit_prior_art(request.user, prior_art):
        return _edit_refusal(request, prior_art)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.prior_art_withdraw(
                prior_art=prior_art,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as error:
            return forbidden(request, str(error), case=prior_art.case)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your submission has been withdrawn."))
            return redirect(prior_art)
    return render(
        request,
        "submissions/prior_art_withdraw.html",
        {"prior_art": prior_art, "case": prior_art.case, "form": form},
    )


@login_required
@GET_POST
def rate(request, ref: str):
    """Rate someone else's submission 1–5, or change one's rating."""
    prior_art = selectors.prior_art_detail(user=request.user, ref=ref)
    if request.method != "POST":
        return redirect(f"{prior_art.get_absolute_url()}#rate")
    form = RatingForm(request.POST)
    template = "submissions/prior_art_detail.html"
    if form.is_valid():
        try:
            ratelimits.enforce(request, "rate")
            services.vote_set(
                prior_art=prior_art,
                voter=request.user,
                rating=form.cleaned_data["rating"],
            )
        except ratelimits.RateLimited as error:
            context = _detail_context(request, prior_art, rating_form=form)
            return _rate_limited(request, template, context, error)
        except PermissionDenied as error:
            return forbidden(request, str(error), case=prior_art.case)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your rating has been saved."))
            return redirect(f"{prior_art.get_absolute_url()}#rate")
    return render(
        request, template, _detail_context(request, prior_art, rating_form=form)
    )


@login_required
@GET_POST
def flag(request, ref: str):
    """Report a submission to the reviewers."""
    prior_art = selectors.prior_art_detail(user=request.user, ref=ref)
    if request.method != "POST":
        return redirect(f"{prior_art.get_absolute_url()}#report")
    form = FlagForm(request.POST)
    template = "submissions/prior_art_detail.html"
    if form.is_valid():
        try:
            ratelimits.enforce(request, "flag")
            services.flag_create(
                reporter=request.user,
                prior_art=prior_art,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ratelimits.RateLimited as error:
            context = _detail_context(request, prior_art, flag_form=form)
            return _rate_limited(request, template, context, error)
        except PermissionDenied as error:
            return forbidden(request, str(error), case=prior_art.case)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you for your report. A reviewer will look at it."),
            )
            # Enough reports hide the submission, even from the reporter: go to the case.
            return redirect(
                f"{reverse('cases:detail', args=[prior_art.case_id])}#evidence"
            )
    return render(
        request, template, _detail_context(request, prior_art, flag_form=form)
    )


def attachment(request, pk: int):
    """Serve an attachment to its contributor and the case's staff, as a download that
    no browser will render; anyone else gets a 404 that does not reveal it exists."""
    item = get_object_or_404(
        Attachment.objects.select_related("prior_art", "prior_art__case"), pk=pk
    )
    if not perms.user_can_download_attachment(request.user, item.prior_art):
        raise Http404("No such attachment.")
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
