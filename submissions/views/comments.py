"""Comment pages: post, edit, report and (for moderators) hide a comment."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import selectors as case_selectors

from .. import permissions as perms
from .. import ratelimits, selectors, services
from ..forms import (
    CommentEditForm,
    CommentForm,
    FlagForm,
    HideCommentForm,
    add_service_errors,
)
from .common import (
    GET_POST,
    _case_refusal,
    _rate_limited,
    forbidden,
)

# --- Comments ------------------------------------------------------------------------


def _comment_url(comment) -> str:
    return comment.get_absolute_url()


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
