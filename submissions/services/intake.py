"""Submitting and changing prior art: claim mappings, attachments, identifiers, the
citation of a library document, the duplicate check, the first-submission hold."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case as DbCase
from django.db.models import Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Claim
from search.models import LibraryDocument
from search.similar import near_duplicates

from .. import permissions as perms
from ..identifiers import identifier_key, text_fingerprint
from ..models import (
    Attachment,
    ClaimMapping,
    DatePrecision,
    PriorArt,
    PriorArtStatus,
)
from ..uploads import check_attachments
from .citation import cite, library_document_for, prefilled_from_library
from .common import (
    MAX_EXPLANATION,
    PRIOR_ART_FIELDS,
    STAFF_CANNOT_SUBMIT,
    TRACKING_ALPHABET,
    MappingInput,
    _audit,
    notify_followers_of_new_evidence,
)


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
    library_document: LibraryDocument | int | None = None,
    exclude_pk: int | None = None,
) -> QuerySet[PriorArt]:
    """Submissions on ``case`` that are likely the same document, oldest first: the
    same normalised identifier, the same text fingerprint, a near-identical title and
    excerpt (``search.similar``), or a citation of the same library document. Withdrawn
    ones do not count. Each is annotated with ``duplicate_reason`` (``identifier``,
    ``library``, ``text``), the first of those that holds. Three queries at most,
    whatever the case holds."""
    key = identifier_key(identifier, url)
    fingerprint = text_fingerprint(title, excerpt)
    near = [
        similar.id
        for similar in near_duplicates(case, title, excerpt, exclude_pk=exclude_pk)
    ]
    by_identifier = Q(identifier_key=key) if key else None
    by_library = (
        Q(library_document=library_document) if library_document is not None else None
    )
    by_text = Q()
    if fingerprint:
        by_text |= Q(text_fingerprint=fingerprint)
    if near:
        by_text |= Q(pk__in=near)
    match = Q()
    for condition in (by_identifier, by_library, by_text):
        if condition:
            match |= condition
    if not match:
        return PriorArt.objects.none()
    qs = PriorArt.objects.filter(match, case=case).exclude(
        status=PriorArtStatus.WITHDRAWN
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    reasons = [
        When(condition, then=Value(reason))
        for condition, reason in (
            (by_identifier, "identifier"),
            (by_library, "library"),
        )
        if condition
    ]
    return qs.annotate(
        duplicate_reason=DbCase(*reasons, default=Value("text"))
        if reasons
        else Value("text")
    ).order_by("created_at", "pk")


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
    from ..models import private_storage

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
    mappings and attachments before writing anything; ``data["library_document"]`` (a
    document or its id) cites a library document, whose citation fills in the fields
    left blank (``prefilled_from_library``); writes the submission, its mappings
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
    document = library_document_for(data.get("library_document"))
    values = {field: data.get(field) for field in PRIOR_ART_FIELDS if field in data}
    values = prefilled_from_library(values, document)
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
            # Appointments lock the account too (cases.services.appointments): a
            # submission and an appointment of the same person cannot both pass their
            # conflict checks. Read fresh, past the per-request cache of staff checks.
            locked = get_user_model().objects.select_for_update().get(pk=author.pk)
            if not locked.is_superuser and perms.user_is_case_staff(locked, case):
                raise PermissionDenied(str(STAFF_CANNOT_SUBMIT))
            claims = {c.number: c for c in Claim.objects.filter(case=case)}
            prior_art = PriorArt(
                case=case,
                author=author,
                tracking_ref=new_tracking_ref(),
                held_for_screening=held,
                status_changed_at=timezone.now(),
                library_document=document,
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
    window is open. A submission that needed changes goes back to ``submitted``.

    ``data`` holds the fields that change. ``library_document`` (a document, its id, or
    None to cite none) changes the citation; a newly cited document fills in the
    citation fields left blank, as on submission."""
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
            if "library_document" in data:
                cite(prior_art, library_document_for(data["library_document"]))
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
                "library_document",
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
