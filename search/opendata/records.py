"""What the open data holds: the rows of each file, read in chunks from the database.

Only what the public pages show: cases of ``Case.objects.published()`` (a withdrawn case
is unpublished, so it is left out); evidence that is ``PriorArt.objects.public()`` and
vetted or forwarded; of the examiner's decision the outcome and the rank, as the case
page's "Outcome of the review" shows them, never the note; an erased contributor as
"former contributor". The fields are described in ``docs/open-data.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Claim, TechnologyArea
from review.models import DossierItem
from submissions.models import ClaimMapping, PriorArt, PriorArtStatus

from ..models import LibraryDocument

CHUNK_SIZE = 1000
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
EVIDENCE_STATES = [PriorArtStatus.VETTED, PriorArtStatus.FORWARDED]

CASE_FIELDS = [
    "id",
    "reference",
    "agency",
    "agency_slug",
    "title",
    "technology_areas",
    "language",
    "status",
    "priority_date",
    "review_opens_at",
    "review_closes_at",
    "page_url",
    "abstract",
]
CLAIM_FIELDS = ["case_id", "case_reference", "number", "depends_on", "text"]
EVIDENCE_FIELDS = [
    "tracking_ref",
    "case_id",
    "case_reference",
    "status",
    "kind",
    "title",
    "authors",
    "published_on",
    "published_on_precision",
    "identifier",
    "url",
    "relevance",
    "claim_numbers",
    "rating_count",
    "rating_average",
    "dossier_rank",
    "outcome",
    "contributor",
    "library_document_id",
    "page_url",
]
EVIDENCE_CLAIM_FIELDS = ["tracking_ref", "case_id", "claim_number", "explanation"]
LIBRARY_FIELDS = [
    "id",
    "identifier",
    "title",
    "url",
    "published_on",
    "published_on_precision",
    "source",
    "language",
    "page_url",
    "body",
]

# name -> (description, fields); the order in which the manifest and the page list them.
FILES = {
    "cases.jsonl": (
        _("Published cases, one JSON object a line, each with its claims."),
        [*CASE_FIELDS, "claims"],
    ),
    "cases.csv": (_("Published cases, one row per case."), CASE_FIELDS),
    "claims.csv": (_("The claims of the published cases, one row each."), CLAIM_FIELDS),
    "evidence.jsonl": (
        _(
            "Vetted and forwarded evidence on published cases, one JSON object a "
            "line, each with the claims it bears on and the examiner's decision."
        ),
        [("claims" if f == "claim_numbers" else f) for f in EVIDENCE_FIELDS],
    ),
    "evidence.csv": (
        _("Vetted and forwarded evidence on published cases, one row per item."),
        EVIDENCE_FIELDS,
    ),
    "evidence_claims.csv": (
        _("Which claim each item of evidence bears on, with the explanation."),
        EVIDENCE_CLAIM_FIELDS,
    ),
    "library.jsonl": (
        _("The prior-art library, one JSON object a line."),
        LIBRARY_FIELDS,
    ),
    "library.csv": (_("The prior-art library, one row per document."), LIBRARY_FIELDS),
}
Progress = Callable[[str, int, int], None]


def instant(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _partial_date(value: date | None, precision: str) -> str | None:
    """The date as precisely as it is known: ``2001``, ``2001-05`` or ``2001-05-17``."""
    if value is None:
        return None
    text = value.isoformat()
    return {"year": text[:4], "month": text[:7]}.get(precision, text)


def _page_urls(viewname: str) -> Callable[[object], str]:
    """A function from an object's key to its public page's absolute address. It calls
    ``reverse`` once: per row, at a million rows, it would cost more than the rest of
    the row's work together."""
    marker = "90817263544536271809"
    path = reverse(viewname, args=[marker])
    before, after = path.split(marker)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + before
    return lambda key: f"{base}{key}{after}"


def _chunks(qs: QuerySet, dataset: str, progress: Progress | None) -> Iterator:
    """The rows of ``qs``, read in chunks; ``progress(dataset, done, total)`` after each."""
    total = qs.count() if progress else 0
    done = 0
    for obj in qs.iterator(chunk_size=CHUNK_SIZE):
        yield obj
        done += 1
        if progress and done % CHUNK_SIZE == 0:
            progress(dataset, done, total)
    if progress:
        progress(dataset, done, total)


# --- The rows --------------------------------------------------------------------------


def published_cases() -> QuerySet[Case]:
    """Published cases with their agency, areas and claims (two prefetches a chunk)."""
    return (
        Case.objects.published()
        .select_related("agency")
        .only(
            "pk",
            "reference",
            "title",
            "abstract",
            "language",
            "status",
            "priority_date",
            "review_opens_at",
            "review_closes_at",
            "agency__name",
            "agency__slug",
        )
        .prefetch_related(
            Prefetch("claims", queryset=Claim.objects.order_by("number")),
            Prefetch(
                "technology_areas", queryset=TechnologyArea.objects.order_by("name")
            ),
        )
        .order_by("pk")
    )


def public_evidence() -> QuerySet[PriorArt]:
    """Vetted and forwarded evidence the public may see, with its rating summary, claim
    mappings and dossier item (two prefetches a chunk). The dossier item is loaded
    without the examiner's note, which is never public."""
    return (
        PriorArt.objects.public()
        .filter(status__in=EVIDENCE_STATES)
        .select_related("case", "author")
        .only(
            "pk",
            "tracking_ref",
            "status",
            "kind",
            "title",
            "authors",
            "published_on",
            "published_on_precision",
            "identifier",
            "url",
            "relevance",
            "library_document_id",
            "case__reference",
            "author__username",
            "author__erased_at",
        )
        .with_rating_summary()
        .prefetch_related(
            Prefetch(
                "mappings",
                queryset=ClaimMapping.objects.select_related("claim")
                .only("prior_art_id", "explanation", "claim__number")
                .order_by("claim__number"),
            ),
            Prefetch(
                "dossier_items",
                queryset=DossierItem.objects.only(
                    "pk", "prior_art_id", "rank", "outcome"
                ),
            ),
        )
        .order_by("pk")
    )


def library_documents() -> QuerySet[LibraryDocument]:
    return LibraryDocument.objects.only(*LIBRARY_FIELDS[:-2], "body").order_by("pk")


def case_record(case: Case, page_url: Callable[[object], str]) -> dict:
    return {
        "id": case.pk,
        "reference": case.reference,
        "agency": case.agency.name,
        "agency_slug": case.agency.slug,
        "title": case.title,
        "technology_areas": [area.name for area in case.technology_areas.all()],
        "language": case.language,
        "status": case.status,
        "priority_date": case.priority_date.isoformat(),
        "review_opens_at": instant(case.review_opens_at),
        "review_closes_at": instant(case.review_closes_at),
        "page_url": page_url(case.pk),
        "abstract": case.abstract,
        "claims": [
            {"number": claim.number, "depends_on": claim.depends_on, "text": claim.text}
            for claim in case.claims.all()
        ],
    }


def evidence_record(item: PriorArt, page_url: Callable[[object], str]) -> dict:
    average = item.rating_average
    # At most one: a case has one dossier, and an item is in it once.
    forwarded = next(iter(item.dossier_items.all()), None)
    return {
        "tracking_ref": item.tracking_ref,
        "case_id": item.case_id,
        "case_reference": item.case.reference,
        "status": item.status,
        "kind": item.kind,
        "title": item.title,
        "authors": item.authors,
        "published_on": _partial_date(item.published_on, item.published_on_precision),
        "published_on_precision": item.published_on_precision,
        "identifier": item.identifier,
        "url": item.url,
        "relevance": item.relevance,
        "claims": [
            {"number": mapping.claim.number, "explanation": mapping.explanation}
            for mapping in item.mappings.all()
        ],
        "rating_count": item.rating_count,
        "rating_average": None if average is None else round(average, 2),
        "dossier_rank": forwarded.rank if forwarded else None,
        "outcome": (forwarded.outcome or None) if forwarded else None,
        "contributor": item.author.public_name,
        "library_document_id": item.library_document_id,
        "page_url": page_url(item.tracking_ref),
    }


def library_record(doc: LibraryDocument, page_url: Callable[[object], str]) -> dict:
    return {
        "id": doc.pk,
        "identifier": doc.identifier,
        "title": doc.title,
        "url": doc.url,
        "published_on": _partial_date(doc.published_on, doc.published_on_precision),
        "published_on_precision": doc.published_on_precision,
        "source": doc.source,
        "language": doc.language,
        "page_url": page_url(doc.pk),
        "body": doc.body,
    }


def write_cases(out: dict, progress: Progress | None) -> None:
    page_url = _page_urls("cases:detail")
    for case in _chunks(published_cases(), "cases", progress):
        record = case_record(case, page_url)
        out["cases.jsonl"].json_row(record)
        out["cases.csv"].csv_row(
            [
                "; ".join(record[f]) if f == "technology_areas" else record[f]
                for f in CASE_FIELDS
            ]
        )
        for claim in record["claims"]:
            out["claims.csv"].csv_row(
                [case.pk, case.reference, claim["number"], claim["depends_on"]]
                + [claim["text"]]
            )


def write_evidence(out: dict, progress: Progress | None) -> None:
    page_url = _page_urls("submissions:detail")
    for item in _chunks(public_evidence(), "evidence", progress):
        record = evidence_record(item, page_url)
        out["evidence.jsonl"].json_row(record)
        numbers = "; ".join(str(claim["number"]) for claim in record["claims"])
        out["evidence.csv"].csv_row(
            [numbers if f == "claim_numbers" else record[f] for f in EVIDENCE_FIELDS]
        )
        for claim in record["claims"]:
            out["evidence_claims.csv"].csv_row(
                [item.tracking_ref, item.case_id, claim["number"], claim["explanation"]]
            )


def write_library(out: dict, progress: Progress | None) -> None:
    page_url = _page_urls("search:library_detail")
    for doc in _chunks(library_documents(), "library", progress):
        record = library_record(doc, page_url)
        out["library.jsonl"].json_row(record)
        out["library.csv"].csv_row([record[f] for f in LIBRARY_FIELDS])
