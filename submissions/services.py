"""Every write of the public's contributions: prior art, comments, ratings and flags.

Pages, the API, the demo data and the review app all call these. Each checks permission
and state itself (raising ``PermissionDenied`` or ``ValidationError`` with a message meant
for the person), writes in one transaction, records an ``AuditEvent`` for every state
change or moderation, and records notifications that are sent after commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.notifications import notify
from cases.models import Case, Claim

from . import permissions as perms
from .identifiers import identifier_key, text_fingerprint
from .models import (
    EDITABLE_STATES,
    Attachment,
    AuditEvent,
    ClaimMapping,
    Comment,
    DatePrecision,
    Flag,
    FlagStatus,
    PriorArt,
    PriorArtStatus,
    Vote,
)
from .uploads import check_attachments

MAX_EXPLANATION = 5000
# Refusals that the pages and the API repeat word for word.
STAFF_CANNOT_SUBMIT = gettext_lazy(
    "You review or examine this case, so you cannot submit evidence on it."
)
STAFF_CANNOT_RATE = gettext_lazy(
    "You review or examine this case, so you cannot rate evidence on it."
)
NOT_PUBLIC_CANNOT_FLAG = gettext_lazy(
    "Only what the public can see can be reported, and this is not public."
)
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
PRIOR_ART_FIELDS = [
    "kind",
    "title",
    "authors",
    "published_on",
    "published_on_precision",
    "identifier",
    "url",
    "excerpt",
    "relevance",
]


@dataclass(frozen=True)
class MappingInput:
    claim_number: int
    explanation: str


def new_tracking_ref() -> str:
    chunk = lambda: "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(4))  # noqa: E731
    return f"PA-{chunk()}-{chunk()}"


def dated_after_priority(
    published_on: date | None, precision: str, priority: date
) -> bool:
    """True when the evidence is certainly later than the priority date: the earliest day
    its (possibly imprecise) date could stand for is after it."""
    if published_on is None:
        return False
    earliest = published_on
    if precision == DatePrecision.MONTH:
        earliest = published_on.replace(day=1)
    elif precision == DatePrecision.YEAR:
        earliest = published_on.replace(month=1, day=1)
    return earliest > priority


def find_duplicates(
    *,
    case: Case,
    identifier: str = "",
    url: str = "",
    title: str = "",
    excerpt: str = "",
    exclude_pk: int | None = None,
):
    """Submissions on ``case`` that are likely the same document: the same normalised
    identifier, or a near-identical title and excerpt. Withdrawn ones do not count."""
    key = identifier_key(identifier, url)
    fingerprint = text_fingerprint(title, excerpt)
    match = Q()
    if key:
        match |= Q(identifier_key=key)
    if fingerprint:
        match |= Q(text_fingerprint=fingerprint)
    if not match:
        return PriorArt.objects.none()
    qs = PriorArt.objects.filter(match, case=case).exclude(
        status=PriorArtStatus.WITHDRAWN
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("created_at")


def _check_mappings(case: Case, mappings: list[MappingInput]) -> dict[int, Claim]:
    if not mappings:
        raise ValidationError(
            {"claims": _("Tick at least one claim this evidence bears on.")}
        )
    claims = {c.number: c for c in case.claims.all()}
    errors = {}
    seen = set()
    for mapping in mappings:
        if mapping.claim_number not in claims:
            errors["claims"] = _("Claim %(n)s is not a claim of this case.") % {
                "n": mapping.claim_number
            }
        elif mapping.claim_number in seen:
            errors["claims"] = _("Claim %(n)s is ticked twice.") % {
                "n": mapping.claim_number
            }
        elif len(mapping.explanation or "") > MAX_EXPLANATION:
            errors[f"explanation_{mapping.claim_number}"] = _(
                "Keep the explanation for claim %(n)s under %(max)d characters."
            ) % {"n": mapping.claim_number, "max": MAX_EXPLANATION}
        elif not (mapping.explanation or "").strip():
            errors[f"explanation_{mapping.claim_number}"] = _(
                "Explain how this evidence bears on claim %(n)s."
            ) % {"n": mapping.claim_number}
        seen.add(mapping.claim_number)
    if errors:
        raise ValidationError(errors)
    return claims


def _audit(
    *, prior_art=None, comment=None, actor, action, old="", new="", reason=""
) -> None:
    AuditEvent.objects.create(
        prior_art=prior_art,
        comment=comment,
        actor=actor,
        action=action,
        from_status=old,
        to_status=new,
        reason=reason,
    )


def _followers(case: Case):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return User.objects.filter(
        Q(follows__case=case) | Q(follows__area__in=case.technology_areas.all())
    ).distinct()


def notify_followers_of_new_evidence(prior_art: PriorArt) -> None:
    """Tell the followers of the case (and of its areas) about newly public evidence;
    called when it is submitted public, or when screening releases it."""
    case = prior_art.case
    for user in _followers(case).exclude(pk=prior_art.author_id):
        notify(
            recipient=user,
            key=f"new-prior-art:{prior_art.pk}:{user.pk}",
            subject=_("New evidence on %(ref)s: %(title)s")
            % {"ref": case.reference, "title": prior_art.title[:120]},
            body=_("%(who)s submitted prior art on a case you follow, %(case)s.")
            % {"who": prior_art.author.public_name, "case": case.title},
            url=prior_art.get_absolute_url(),
        )


def _save_attachments(prior_art: PriorArt, files: list, checked: list) -> list[str]:
    """Store the checked files; returns their storage names so a failed transaction can
    remove them again (the database rolls back, the file system does not)."""
    saved = []
    for upload, info in zip(files, checked, strict=True):
        attachment = Attachment(
            prior_art=prior_art,
            original_name=(upload.name or "attachment")[:255],
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
        )
        # Stored under a random name with the extension of its real type, never the
        # name the user gave.
        attachment.file.save(
            f"{secrets.token_hex(16)}.{info.extension}", upload, save=False
        )
        saved.append(attachment.file.name)
        attachment.save()
    return saved


def _discard_files(names: list[str]) -> None:
    from .models import private_storage

    storage = private_storage()
    for name in names:
        storage.delete(name)


def prior_art_submit(
    *,
    case: Case,
    author,
    data: dict,
    mappings: list[MappingInput],
    files: list | None = None,
) -> PriorArt:
    """Submit prior art on an open case, mapped to one or more of its claims.

    Checks the window and that the author's e-mail is verified; validates the claim
    mappings and attachments before writing anything; writes the submission, its mappings
    and files in one transaction. A contributor with no vetted submission yet is held for
    screening (``OPENDOCKET_SCREEN_NEW_CONTRIBUTORS``). Followers are notified after commit
    when it is public.
    """
    files = list(files or [])
    if not perms.user_is_verified(author):
        raise PermissionDenied(
            _("Confirm your e-mail address before you submit evidence.")
        )
    if not perms.window_open(case):
        raise PermissionDenied(
            _("This case is not open for review, so it takes no evidence.")
        )
    if not perms.user_can_submit(author, case):
        raise PermissionDenied(str(STAFF_CANNOT_SUBMIT))
    _check_mappings(case, mappings)
    checked = check_attachments(files)
    values = {field: data.get(field) for field in PRIOR_ART_FIELDS if field in data}
    values.setdefault("published_on_precision", DatePrecision.DAY)
    for text_field in ("authors", "identifier", "url", "excerpt"):
        values[text_field] = values.get(text_field) or ""
    held = (
        settings.OPENDOCKET_SCREEN_NEW_CONTRIBUTORS
        and not PriorArt.objects.filter(
            author=author, status__in=[PriorArtStatus.VETTED, PriorArtStatus.FORWARDED]
        ).exists()
    )
    saved: list[str] = []
    try:
        with transaction.atomic():
            claims = {c.number: c for c in Claim.objects.filter(case=case)}
            prior_art = PriorArt(
                case=case,
                author=author,
                tracking_ref=new_tracking_ref(),
                held_for_screening=held,
                status_changed_at=timezone.now(),
                **values,
            )
            _derive(prior_art)
            prior_art.full_clean(exclude=["case", "author", "tracking_ref"])
            prior_art.save()
            ClaimMapping.objects.bulk_create(
                ClaimMapping(
                    prior_art=prior_art,
                    claim=claims[m.claim_number],
                    explanation=m.explanation.strip(),
                )
                for m in mappings
            )
            saved.extend(_save_attachments(prior_art, files, checked))
            _audit(
                prior_art=prior_art, actor=author, action="submit", new=prior_art.status
            )
            if prior_art.is_public:
                notify_followers_of_new_evidence(prior_art)
    except BaseException:
        _discard_files(saved)
        raise
    return prior_art


def _derive(prior_art: PriorArt) -> None:
    prior_art.identifier_key = identifier_key(prior_art.identifier, prior_art.url)
    prior_art.text_fingerprint = text_fingerprint(prior_art.title, prior_art.excerpt)
    prior_art.after_priority_date = dated_after_priority(
        prior_art.published_on,
        prior_art.published_on_precision,
        prior_art.case.priority_date,
    )


def prior_art_update(
    *,
    prior_art: PriorArt,
    actor,
    data: dict,
    mappings: list[MappingInput],
    files: list | None = None,
    remove_attachment_ids: list[int] | None = None,
) -> PriorArt:
    """The author edits a submission that is still submitted or needs changes, while the
    window is open. A submission that needed changes goes back to ``submitted``."""
    files = list(files or [])
    saved: list[str] = []
    try:
        with transaction.atomic():
            prior_art = (
                PriorArt.objects.select_for_update()
                .select_related("case")
                .get(pk=prior_art.pk)
            )
            if not perms.user_can_edit_prior_art(actor, prior_art):
                raise PermissionDenied(_("You can no longer change this submission."))
            claims = _check_mappings(prior_art.case, mappings)
            keep = prior_art.attachments.exclude(pk__in=remove_attachment_ids or [])
            if keep.count() + len(files) > settings.OPENDOCKET_MAX_ATTACHMENTS:
                raise ValidationError(
                    {
                        "attachments": _(
                            "You can attach at most %(n)d files to one submission."
                        )
                        % {"n": settings.OPENDOCKET_MAX_ATTACHMENTS}
                    }
                )
            checked = check_attachments(files)
            for field in PRIOR_ART_FIELDS:
                if field in data:
                    value = data[field]
                    setattr(
                        prior_art,
                        field,
                        "" if value is None and field != "published_on" else value,
                    )
            _derive(prior_art)
            prior_art.full_clean(
                exclude=["case", "author", "tracking_ref", "duplicate_of"]
            )
            old = prior_art.status
            fields = [
                *PRIOR_ART_FIELDS,
                "identifier_key",
                "text_fingerprint",
                "after_priority_date",
                "updated_at",
            ]
            if old == PriorArtStatus.NEEDS_CHANGES:
                prior_art.status = PriorArtStatus.SUBMITTED
                prior_art.status_changed_at = timezone.now()
                fields += ["status", "status_changed_at"]
            prior_art.save(update_fields=fields)
            prior_art.mappings.all().delete()
            ClaimMapping.objects.bulk_create(
                ClaimMapping(
                    prior_art=prior_art,
                    claim=claims[m.claim_number],
                    explanation=m.explanation.strip(),
                )
                for m in mappings
            )
            removed = prior_art.attachments.filter(pk__in=remove_attachment_ids or [])
            removed_names = list(removed.values_list("file", flat=True))
            removed.delete()
            # Files go only once the rows are gone for good.
            transaction.on_commit(lambda: _discard_files(removed_names))
            saved.extend(_save_attachments(prior_art, files, checked))
            _audit(
                prior_art=prior_art,
                actor=actor,
                action="edit",
                old=old,
                new=prior_art.status,
            )
    except BaseException:
        _discard_files(saved)
        raise
    return prior_art


# How a refused transition names what was attempted ("... so it cannot be vetted").
ACTION_PAST = {
    "vet": gettext_lazy("vetted"),
    "request_changes": gettext_lazy("sent back for changes"),
    "reject": gettext_lazy("rejected"),
    "mark_duplicate": gettext_lazy("marked as a duplicate"),
    "forward": gettext_lazy("forwarded"),
    "withdraw": gettext_lazy("withdrawn"),
}


def prior_art_transition(
    *,
    prior_art: PriorArt,
    actor,
    to: str,
    allowed_from: set[str],
    reason: str = "",
    action: str,
    extra_fields: dict | None = None,
    check=None,
    reviewers_message: bool = True,
) -> PriorArt:
    """The one state machine step for a submission: lock the row, check the source state,
    save with ``update_fields``, audit, and tell the author (unless they did it)."""
    with transaction.atomic():
        prior_art = (
            PriorArt.objects.select_for_update()
            .select_related("case", "author")
            .get(pk=prior_art.pk)
        )
        if check is not None and not check(prior_art):
            raise PermissionDenied(
                _("You are not allowed to do that to this submission.")
            )
        if prior_art.status not in allowed_from:
            raise ValidationError(
                _("This submission is %(state)s, so it cannot be %(action)s.")
                % {
                    "state": prior_art.get_status_display().lower(),
                    "action": ACTION_PAST.get(action, action.replace("_", " ")),
                }
            )
        old = prior_art.status
        prior_art.status = to
        prior_art.status_changed_at = timezone.now()
        # The reason is the reviewers' message to the contributor, unless the contributor
        # gave it themselves (withdrawing): then it is only in the audit trail.
        prior_art.status_reason = reason if reviewers_message else ""
        fields = ["status", "status_changed_at", "status_reason"]
        for name, value in (extra_fields or {}).items():
            setattr(prior_art, name, value)
            fields.append(name)
        prior_art.save(update_fields=fields)
        event = AuditEvent.objects.create(
            prior_art=prior_art,
            actor=actor,
            action=action,
            from_status=old,
            to_status=to,
            reason=reason,
        )
        if actor is None or actor.pk != prior_art.author_id:
            notify(
                recipient=prior_art.author,
                key=f"status:{prior_art.pk}:{event.pk}",
                subject=_("Your evidence %(ref)s is now: %(status)s")
                % {
                    "ref": prior_art.tracking_ref,
                    "status": prior_art.get_status_display(),
                },
                body=(
                    reason
                    or _('The status of your submission "%(title)s" changed.')
                    % {"title": prior_art.title}
                ),
                url=prior_art.get_absolute_url(),
            )
    return prior_art


def prior_art_withdraw(*, prior_art: PriorArt, actor, reason: str = "") -> PriorArt:
    """The author withdraws a submission that is still submitted or needs changes, while
    the window is open."""
    if not perms.user_can_edit_prior_art(actor, prior_art):
        raise PermissionDenied(_("You can no longer withdraw this submission."))
    # Checked again under the row lock: the window may close in between.
    return prior_art_transition(
        check=lambda locked: perms.user_can_edit_prior_art(actor, locked),
        reviewers_message=False,
        prior_art=prior_art,
        actor=actor,
        to=PriorArtStatus.WITHDRAWN,
        allowed_from=EDITABLE_STATES,
        reason=reason,
        action="withdraw",
    )


# --- Comments ------------------------------------------------------------------------


def comment_post(
    *,
    case: Case,
    author,
    body: str,
    claim: Claim | None = None,
    prior_art: PriorArt | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Post a comment on the case, one of its claims, or one of its submissions; a reply
    inherits its parent's target. The parent's author is told of the reply."""
    if not perms.user_can_comment(author, case):
        raise PermissionDenied(
            _(
                "Comments are open to confirmed accounts while the review window is open."
            )
        )
    if not (body or "").strip():
        raise ValidationError({"body": _("Write a comment first.")})
    if parent is not None:
        if parent.case_id != case.pk or not parent.is_visible:
            raise ValidationError({"parent": _("You cannot reply to that comment.")})
        claim, prior_art = parent.claim, parent.prior_art
    if claim is not None and claim.case_id != case.pk:
        raise ValidationError({"claim": _("That claim belongs to another case.")})
    if prior_art is not None and (
        prior_art.case_id != case.pk
        or not perms.user_can_view_prior_art(author, prior_art)
    ):
        raise ValidationError({"prior_art": _("That submission is not on this case.")})
    with transaction.atomic():
        comment = Comment(
            case=case,
            author=author,
            body=body,
            claim=claim,
            prior_art=prior_art,
            parent=parent,
        )
        comment.full_clean()
        comment.save()
        if parent is not None and parent.author_id != author.pk:
            notify(
                recipient=parent.author,
                key=f"reply:{comment.pk}",
                subject=_("%(who)s replied to your comment on %(ref)s")
                % {"who": author.public_name, "ref": case.reference},
                body=body[:1000],
                url=f"{case.get_absolute_url()}#comment-{comment.pk}",
            )
    return comment


def comment_edit(*, comment: Comment, actor, body: str) -> Comment:
    """The author corrects a comment within the edit window."""
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update()
            .select_related("case")
            .get(pk=comment.pk)
        )
        if not perms.user_can_edit_comment(actor, comment):
            raise PermissionDenied(_("This comment can no longer be edited."))
        if not (body or "").strip():
            raise ValidationError({"body": _("Write a comment first.")})
        comment.body = body
        comment.edited_at = timezone.now()
        comment.full_clean()
        comment.save(update_fields=["body", "edited_at"])
        _audit(comment=comment, actor=actor, action="comment_edit")
    return comment


def comment_hide(*, comment: Comment, actor, reason: str) -> Comment:
    """Moderation: hide a comment with a reason. It stays in the database and the audit
    trail; the public sees that a comment was hidden, not its text."""
    if not perms.user_can_moderate(actor, comment.case):
        raise PermissionDenied(
            _("Only reviewers and editors of this case can hide comments.")
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the comment is hidden.")})
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.hidden = True
        comment.hidden_reason = reason
        comment.save(update_fields=["hidden", "hidden_reason"])
        _audit(comment=comment, actor=actor, action="comment_hide", reason=reason)
    return comment


# --- Ratings and flags ---------------------------------------------------------------


def vote_set(*, prior_art: PriorArt, voter, rating: int) -> Vote:
    """Rate someone else's public prior art 1–5; rating again changes the rating.
    Allowed until the window closes."""
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    if prior_art.author_id == getattr(voter, "pk", None):
        raise PermissionDenied(_("You cannot rate your own evidence."))
    if not perms.user_can_rate(voter, prior_art):
        if perms.user_is_case_staff(voter, prior_art.case):
            raise PermissionDenied(str(STAFF_CANNOT_RATE))
        raise PermissionDenied(
            _("Ratings are open to confirmed accounts while the review window is open.")
        )
    vote, _created = Vote.objects.update_or_create(
        prior_art=prior_art, voter=voter, defaults={"rating": rating}
    )
    return vote


def flag_create(
    *,
    reporter,
    reason: str,
    details: str = "",
    prior_art: PriorArt | None = None,
    comment: Comment | None = None,
) -> Flag:
    """Report a submission or comment. When open flags reach
    ``OPENDOCKET_FLAG_HIDE_THRESHOLD`` the item is hidden until a reviewer decides."""
    if (prior_art is None) == (comment is None):
        raise ValidationError(_("Flag either a submission or a comment."))
    if not perms.user_can_flag(reporter, prior_art=prior_art, comment=comment):
        target = prior_art or comment
        if perms.user_is_verified(reporter) and target.author_id != reporter.pk:
            # Not one's own: what stands in the way is that the public cannot see it.
            raise PermissionDenied(str(NOT_PUBLIC_CANNOT_FLAG))
        raise PermissionDenied(
            _("Confirmed accounts can report other people's contributions.")
        )
    try:
        with transaction.atomic():
            flag = Flag(
                reporter=reporter,
                reason=reason,
                details=details,
                prior_art=prior_art,
                comment=comment,
            )
            flag.full_clean(validate_constraints=False)
            flag.save()
            target = prior_art or comment
            model = type(target)
            locked = model.objects.select_for_update().get(pk=target.pk)
            open_flags = locked.flags.filter(status=FlagStatus.OPEN).count()
            if (
                open_flags >= settings.OPENDOCKET_FLAG_HIDE_THRESHOLD
                and not locked.hidden_by_flags
            ):
                locked.hidden_by_flags = True
                locked.save(update_fields=["hidden_by_flags"])
                _audit(
                    prior_art=prior_art,
                    comment=comment,
                    actor=None,
                    action="hidden_by_flags",
                    reason=_("%(n)d open reports") % {"n": open_flags},
                )
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this; a reviewer will look at it.")
        )
    return flag
