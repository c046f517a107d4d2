"""Rows of every table the generator fills (``generate.py``), as COPY streams.

Each loader takes the ``Loader``, the ``Counts``, the text maker and its random generator;
ids are assigned here, continuing after the largest id present, so rows can point at each
other without reading them back.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

SHOWCASE_CLAIMS = 100
SHOWCASE_SUBMISSIONS = 1_000
STATUSES = [
    ("submitted", 35),
    ("vetted", 40),
    ("forwarded", 3),
    ("rejected", 10),
    ("needs_changes", 5),
    ("duplicate", 4),
    ("withdrawn", 3),
]
KINDS = [
    "patent",
    "patent_application",
    "publication",
    "web_page",
    "product",
    "software",
    "standard",
    "other",
]


def columns(names: str) -> list[str]:
    return names.split()


def tracking_ref(number: int, alphabet: str) -> str:
    digits = []
    for _ in range(8):
        number, digit = divmod(number, len(alphabet))
        digits.append(alphabet[digit])
    code = "".join(reversed(digits))
    return f"PA-{code[:4]}-{code[4:]}"


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def load_people_and_cases(load, counts, text, rng, now, run):
    ids = {
        name: load.next_id(table)
        for name, table in [
            ("user", "accounts_user"),
            ("agency", "cases_agency"),
            ("area", "cases_technologyarea"),
            ("case", "cases_case"),
            ("claim", "cases_claim"),
            ("prior_art", "submissions_priorart"),
            ("comment", "submissions_comment"),
        ]
    }
    ids["run"] = run
    load.copy(
        "accounts_user",
        columns(
            "id password is_superuser username first_name last_name email is_staff is_active date_joined notify_frequency"
        ),
        (
            (
                ids["user"] + i,
                "!",
                False,
                f"bench-{run}-{i}",
                "",
                "",
                f"bench-{run}-{i}@example.org",
                False,
                True,
                now,
                "never",
            )
            for i in range(counts.users)
        ),
    )
    load.copy(
        "cases_agency",
        ["id", "name", "slug", "website", "description"],
        (
            (
                ids["agency"] + i,
                f"Agency {run}-{i} of {text.phrase(4)}"[:200],
                f"agency-{run}-{i}",
                "",
                text.paragraph(1, 3),
            )
            for i in range(counts.agencies)
        ),
    )
    load.copy(
        "cases_technologyarea",
        ["id", "name", "slug", "description"],
        (
            (
                ids["area"] + i,
                f"{text.phrase(3)} ({run}-{i})"[:120],
                f"area-{run}-{i}",
                text.paragraph(1, 2),
            )
            for i in range(counts.areas)
        ),
    )
    claims_per_case = [
        SHOWCASE_CLAIMS if i == 0 or rng.random() < 0.05 else rng.randint(3, 30)
        for i in range(counts.cases)
    ]
    ids["claims"] = []  # (first claim id, count) per case
    next_claim = ids["claim"]
    for count in claims_per_case:
        ids["claims"].append((next_claim, count))
        next_claim += count
    ids["showcase"] = ids["case"]
    statuses = [("open", 50), ("closed", 25), ("forwarded", 15), ("decided", 10)]

    def case_rows():
        for i in range(counts.cases):
            opens = now - timedelta(days=rng.randint(0, 700))
            yield (
                ids["case"] + i,
                True,
                False,
                opens,
                opens,
                False,
                False,
                f"BENCH-{run}-{i:05d}",
                text.title()[:300],
                text.paragraph(2, 8),
                text.paragraph(3, 20),
                (opens - timedelta(days=400)).date(),
                opens,
                opens + timedelta(days=90),
                10,
                "en",
                "open" if i == 0 else weighted(rng, statuses),
                opens,
                opens,
                now,
                ids["agency"] + i % counts.agencies,
            )

    load.copy(
        "cases_case",
        columns(
            "id live has_unpublished_changes first_published_at last_published_at expired locked reference title abstract body priority_date review_opens_at review_closes_at forward_limit language status status_changed_at created_at updated_at agency_id"
        ),
        case_rows(),
    )
    load.copy(
        "cases_case_technology_areas",
        ["case_id", "technologyarea_id"],
        (
            (ids["case"] + i, ids["area"] + area)
            for i in range(counts.cases)
            for area in rng.sample(range(counts.areas), min(counts.areas, 2))
        ),
    )

    def claim_rows():
        for case_index, (first, count) in enumerate(ids["claims"]):
            for number in range(1, count + 1):
                depends = (
                    rng.randint(1, number - 1)
                    if number > 1 and rng.random() < 0.6
                    else None
                )
                yield (
                    first + number - 1,
                    number,
                    text.paragraph(1, 4),
                    depends,
                    ids["case"] + case_index,
                )

    load.copy(
        "cases_claim", ["id", "number", "text", "depends_on", "case_id"], claim_rows()
    )
    return ids


def load_submissions(load, counts, text, rng, now, ids, alphabet):
    showcase = min(SHOWCASE_SUBMISSIONS, counts.submissions // 2)
    weights = [rng.paretovariate(1.2) for _ in range(counts.cases)]
    weights[0] = 0.0
    others = rng.choices(
        range(counts.cases), weights=weights, k=counts.submissions - showcase
    )
    case_of = [0] * showcase + others
    mappings, votes = [], []

    def rows():
        for i, case_index in enumerate(case_of):
            pk = ids["prior_art"] + i
            status = weighted(rng, STATUSES)
            first_claim, claim_count = ids["claims"][case_index]
            for claim in rng.sample(
                range(claim_count), min(claim_count, rng.randint(1, 3))
            ):
                mappings.append((text.paragraph(1, 3), first_claim + claim, pk))
            for voter in rng.sample(
                range(counts.users), min(counts.users, rng.randint(0, 6))
            ):
                votes.append((rng.randint(1, 5), now, now, pk, ids["user"] + voter))
            published = date(1990, 1, 1) + timedelta(days=rng.randint(0, 12000))
            created = now - timedelta(
                days=rng.randint(0, 600), seconds=rng.randint(0, 86399)
            )
            yield (
                pk,
                tracking_ref(pk * 7919 + 104729, alphabet),
                rng.choice(KINDS),
                text.title()[:500],
                text.phrase(5)[:500],
                published,
                "day",
                f"10.5555/bench.pa.{pk}",
                f"doi:10.5555/bench.pa.{pk}",
                f"https://example.org/prior-art/{pk}",
                text.paragraph(2, 10),
                text.paragraph(1, 4),
                hashlib.sha256(f"pa{pk}".encode()).hexdigest(),
                status,
                created,
                "Not prior art for these claims." if status == "rejected" else "",
                False,
                False,
                False,
                created,
                created,
                ids["user"] + rng.randrange(counts.users),
                ids["case"] + case_index,
            )

    load.copy(
        "submissions_priorart",
        columns(
            "id tracking_ref kind title authors published_on published_on_precision identifier identifier_key url excerpt relevance text_fingerprint status status_changed_at status_reason after_priority_date held_for_screening hidden_by_flags created_at updated_at author_id case_id"
        ),
        rows(),
    )
    ids["submission_cases"] = case_of
    load.copy(
        "submissions_claimmapping",
        ["explanation", "claim_id", "prior_art_id"],
        mappings,
    )
    load.copy(
        "submissions_vote",
        ["rating", "created_at", "updated_at", "prior_art_id", "voter_id"],
        votes,
    )


def load_comments(load, counts, text, rng, now, ids):
    case_of = ids["submission_cases"]

    def rows():
        for i in range(counts.comments):
            on_submission = case_of and rng.random() < 0.5
            if on_submission:
                index = rng.randrange(len(case_of))
                case_index, prior_art = case_of[index], ids["prior_art"] + index
            else:
                case_index, prior_art = rng.randrange(counts.cases), None
            first_claim, claim_count = ids["claims"][case_index]
            claim = (
                first_claim + rng.randrange(claim_count) if rng.random() < 0.3 else None
            )
            yield (
                ids["comment"] + i,
                text.paragraph(1, 6),
                now - timedelta(days=rng.randint(0, 600)),
                False,
                "",
                False,
                ids["user"] + rng.randrange(counts.users),
                ids["case"] + case_index,
                claim,
                prior_art,
            )

    load.copy(
        "submissions_comment",
        columns(
            "id body created_at hidden hidden_reason hidden_by_flags author_id case_id claim_id prior_art_id"
        ),
        rows(),
    )


def load_library(load, counts, text, rng, now, identifier_key):
    first = load.next_id("search_librarydocument")
    sources = [
        "Technical disclosure archive",
        "Standards body",
        "Conference proceedings",
        "Product manuals",
        "Open-source documentation",
    ]

    def rows():
        for i in range(counts.library):
            pk = first + i
            title = text.title()[:1000]
            body = text.paragraph(2, 40)
            identifier = f"10.5555/bench.lib.{pk}"
            published = date(1970, 1, 1) + timedelta(days=rng.randint(0, 20000))
            yield (
                pk,
                identifier,
                identifier_key(identifier),
                title,
                body,
                f"https://example.org/library/{pk}",
                published,
                "year" if rng.random() < 0.1 else "day",
                rng.choice(sources),
                "en",
                hashlib.sha256(f"{title}\n{body}".encode()).hexdigest(),
                now,
                now,
            )

    load.copy(
        "search_librarydocument",
        columns(
            "id identifier identifier_key title body url published_on published_on_precision source language content_hash created_at updated_at"
        ),
        rows(),
    )
