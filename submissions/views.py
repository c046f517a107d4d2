"""Pages of public contribution: submit, follow, edit and withdraw prior art; rate and
report it; comment, reply, edit, report and hide comments; download attachments.

Views stay thin: a form validates the input, a selector reads, a service writes, and the
permission helpers decide what is shown. What a service refuses comes back to the person
as form errors (ValidationError), a 403 page that says why (PermissionDenied) or a 429
page that keeps their input (RateLimited).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import selectors as case_selectors
from review.permissions import user_can_screen

from . import permissions as perms
from . import ratelimits, selectors, services
from .forms import (
    CommentEditForm,
    CommentForm,
    EditPriorArtForm,
    FlagForm,
    HideCommentForm,
    RatingForm,
    SubmitPriorArtForm,
    WithdrawForm,
    add_service_errors,
)
from .models import EDITABLE_STATES, Attachment, PriorArtStatus, Vote

GET_POST = require_http_methods(["GET", "POST"])


# Audit actions shown to the case's staff only (the reviewers' ratings and notes).
STAFF_ONLY_EVENTS = ["reviewer_rating"]


def forbidden(request, message: str, *, title: str | None = None, **context):
    """The 403 page: what the person cannot do here, and why (``context`` may add the
    ``case`` or ``prior_art`` to go back to, and a ``reason`` code)."""
    return render(
        request,
        "submissions/forbidden.html",
        {"title": title or _("You cannot do this"), "message": message, **context},
        status=403,
    )


def _case_refusal(request, case, action: str):
    """The 403 page for a case-level action (submitting, commenting) the user may not
    take: an unconfirmed e-mail address, or a case that is not open for review."""
    if not perms.user_is_verified(request.user):
        return forbidden(
            request,
            _(
                "Confirm your e-mail address first: we sent you a link when you signed "
                "up. Only confirmed accounts can %(action)s."
            )
            % {"action": action},
            title=_("Confirm your e-mail address"),
            reason="unverified",
            case=case,
        )
    return forbidden(
        request,
        _(
            "This case is not open for review, so you cannot %(action)s on it. Review "
            "runs from %(opens)s to %(closes)s."
        )
        % {
            "action": action,
            "opens": _format_dt(case.review_opens_at),
            "closes": _format_dt(case.review_closes_at),
        },
        title=_("Review is not open"),
        reason="closed",
        case=case,
    )


def _staff_conflict(user, case) -> bool:
    """Whether the only thing keeping ``user`` from submitting on ``case`` is that they
    judge it: a verified reviewer, examiner or editor of the case while it is open."""
    return (
        perms.user_is_verified(user)
        and perms.window_open(case)
        and not user.is_superuser
        and perms.user_is_case_staff(user, case)
    )


def _format_dt(value) -> str:
    return date_format(localtime(value), "j F Y, H:i T")


def _rate_limited(request, template: str, context: dict, error):
    context = {**context, "rate_limited": str(error)}
    return render(request, template, context, status=429)


# --- Prior art -----------------------------------------------------------------------


@login_required
@GET_POST
def submit(request, pk: int):
    """Submit prior art on an open case; warns of likely duplicates before saving."""
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
    context = {"case": case, "mode": "submit"}
    if request.method != "POST":
        form = SubmitPriorArtForm(claims=claims)
        return render(request, template, {**context, "form": form})

    form = SubmitPriorArtForm(request.POST, request.FILES, claims=claims)
    context.update(form=form, files_dropped=bool(request.FILES))
    if not form.is_valid():
        return render(request, template, context)
    if not form.cleaned_data["confirm_not_duplicate"]:
        duplicates = list(
            services.find_duplicates(
                case=case,
                identifier=form.cleaned_data["identifier"],
                url=form.cleaned_data["url"],
                title=form.cleaned_data["title"],
                excerpt=form.cleaned_data["excerpt"],
            )
        )
        if duplicates:
            for duplicate in duplicates:
                duplicate.case = case  # the same case: spares a query per duplicate
                duplicate.visible = perms.user_can_view_prior_art(
                    request.user, duplicate
                )
            return render(request, template, {**context, "duplicates": duplicates})
    try:
        ratelimits.enforce(request, "submit")
        prior_art = services.prior_art_submit(
            case=case,
            author=request.user,
            data=form.prior_art_data(),
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
    comments = [
        comment
        for comment in selectors.comments_for_case(case=case, user=user)
        if comment.prior_art_id == prior_art.pk
    ]
    for comment in comments:
        comment.case = case  # already loaded: spares a query per comment
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
    context = {"case": case, "prior_art": prior_art, "mode": "edit"}
    if request.method != "POST":
        form = EditPriorArtForm(
            initial=EditPriorArtForm.initial_for(prior_art), **kwargs
        )
        return render(request, template, {**context, "form": form})
    form = EditPriorArtForm(request.POST, request.FILES, **kwargs)
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


# --- Comments ------------------------------------------------------------------------


def _comment_url(comment) -> str:
    if comment.prior_art_id:
        base = comment.prior_art.get_absolute_url()
    else:
        base = reverse("cases:detail", args=[comment.case_id])
    return f"{base}#comment-{comment.pk}"


@login_required
@GET_POST
def comment_post(request, pk: int):
    """Comment on a case, a claim or a submission, or reply to a comment. The case and
    evidence pages post here; errors and the "Comment on this claim" links use the form
    on this page."""
    case = case_selectors.case_detail(user=request.user, pk=pk)
    if not perms.user_can_comment(request.user, case):
        return _case_refusal(request, case, _("comment"))
    template = "submissions/comment_form.html"
    if request.method != "POST":
        form = CommentForm(
            case=case,
            user=request.user,
            initial={
                key: request.GET[key]
                for key in ("claim", "prior_art", "parent")
                if key in request.GET
            },
        )
        return render(request, template, {"case": case, "form": form})
    form = CommentForm(request.POST, case=case, user=request.user)
    context = {"case": case, "form": form}
    if not form.is_valid():
        return render(request, template, context)
    try:
        ratelimits.enforce(request, "comment")
        comment = services.comment_post(
            case=case,
            author=request.user,
            body=form.cleaned_data["body"],
            claim=form.cleaned_data["claim"],
            prior_art=form.cleaned_data["prior_art"],
            parent=form.cleaned_data["parent"],
        )
    except ratelimits.RateLimited as error:
        return _rate_limited(request, template, context, error)
    except PermissionDenied as error:
        return forbidden(request, str(error), case=case)
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, template, context)
    messages.success(request, _("Your comment has been posted."))
    return redirect(_comment_url(comment))


@login_required
@GET_POST
def comment_edit(request, pk: int):
    """The author corrects a comment within the edit window."""
    comment = selectors.comment_detail(user=request.user, pk=pk)
    if not perms.user_can_edit_comment(request.user, comment):
        return forbidden(
            request,
            _(
                "You can edit your own comments for %(n)d minutes after posting them, "
                "while the review window is open."
            )
            % {"n": settings.OPENDOCKET_COMMENT_EDIT_MINUTES},
            title=_("This comment can no longer be edited"),
        )
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    return _comment_action(
        request,
        comment,
        form,
        lambda data: services.comment_edit(
            comment=comment, actor=request.user, body=data["body"]
        ),
        success=_("Your comment has been updated."),
        template="submissions/comment_edit.html",
    )


@login_required
@GET_POST
def comment_flag(request, pk: int):
    """Report a comment to the reviewers."""
    comment = selectors.comment_detail(user=request.user, pk=pk)
    if not perms.user_can_flag(request.user, comment=comment):
        if (
            perms.user_is_verified(request.user)
            and comment.author_id != request.user.pk
        ):
            message = str(services.NOT_PUBLIC_CANNOT_FLAG)
        else:
            message = _("Confirmed accounts can report other people's contributions.")
        return forbidden(request, message, case=comment.case)
    form = FlagForm(request.POST or None)
    context = {"comment": comment, "case": comment.case, "form": form}
    template = "submissions/comment_flag.html"
    if request.method == "POST" and form.is_valid():
        try:
            ratelimits.enforce(request, "flag")
            services.flag_create(
                reporter=request.user,
                comment=comment,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ratelimits.RateLimited as error:
            return _rate_limited(request, template, context, error)
        except PermissionDenied as error:
            return forbidden(request, str(error), case=comment.case)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Thank you for your report. A reviewer will look at it.")
            )
            return redirect(_comment_url(comment))
    return render(request, template, context)


@login_required
@GET_POST
def comment_hide(request, pk: int):
    """Moderation: hide a comment, with a reason everyone sees in its place."""
    comment = selectors.comment_detail(user=request.user, pk=pk)
    if not perms.user_can_moderate(request.user, comment.case):
        return forbidden(
            request, _("Only reviewers and editors of this case can hide comments.")
        )
    form = HideCommentForm(request.POST or None)
    return _comment_action(
        request,
        comment,
        form,
        lambda data: services.comment_hide(
            comment=comment, actor=request.user, reason=data["reason"]
        ),
        success=_("The comment is now hidden."),
        template="submissions/comment_hide.html",
    )


def _comment_action(request, comment, form, act, *, success: str, template: str):
    """The shape shared by the comment edit and hide pages: validate the form, call one
    service, map its refusals onto a 403 page or the form, redirect to the comment."""
    if request.method == "POST" and form.is_valid():
        try:
            comment = act(form.cleaned_data)
        except PermissionDenied as error:
            return forbidden(request, str(error), case=comment.case)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(_comment_url(comment))
    return render(
        request, template, {"comment": comment, "case": comment.case, "form": form}
    )
