"""The data the open data tests export: built through the services, as in production."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from accounts.services import account_erase
from cases import services as case_services
from review import services
from review.models import Outcome
from search import opendata
from search.models import LibraryDocument
from submissions import services as submission_services
from tests.factories import TechnologyAreaFactory
from tests.search.factories import make_library_document
from tests.submissions.factories import close_case, make_prior_art, verified_user

BASE = "https://opendocket.example.org"
NOTE = "Private examiner reasoning, never public"
ERASED = "dave-the-finder"
DATA_FILES = list(opendata.FILES)


@pytest.fixture(name="out_dir")
def out_dir_fixture(settings, tmp_path):
    """The export directory of this test, and one report enough to hide an item."""
    settings.WAGTAILADMIN_BASE_URL = BASE + "/"
    settings.OPENDOCKET_OPEN_DATA_DIR = tmp_path / "open-data"
    settings.OPENDOCKET_FLAG_HIDE_THRESHOLD = 1
    return settings.OPENDOCKET_OPEN_DATA_DIR


def library_doc(n: int, **fields) -> LibraryDocument:
    values = {
        "title": f"Library disclosure {n}",
        "body": f"Body of disclosure {n}: a thermopile on the exhaust manifold.",
        "identifier": f"TD-{n}",
        **fields,
    }
    return make_library_document(**values)


def staffed(case, reviewer, examiner):
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    case_services.case_appoint_examiner(case=case, user=examiner)
    return case


def add_evidence(case, reviewer, people, n: int, offset: int = 0) -> None:
    """``n`` vetted items with two claim mappings and two ratings each."""
    for i in range(offset, offset + n):
        item = make_prior_art(
            case,
            people[i % 2],
            title=f"Extra evidence {i}",
            identifier=f"EX-{i}",
            claims=(1, 2),
        )
        services.prior_art_vet(prior_art=item, actor=reviewer)
        submission_services.vote_set(prior_art=item, voter=people[2], rating=3)
        submission_services.vote_set(prior_art=item, voter=people[3], rating=4)


@pytest.fixture(name="world")
def world_fixture(out_dir, case_factory, editor_a, reviewer, examiner):
    """Published, draft and withdrawn cases; evidence in every state (vetted with
    ratings and a library citation, unscreened, held, rejected, hidden after a report);
    a forwarded case with one item decided (with a private note) by an examiner and one
    awaiting, its contributor since erased; one library document."""
    alice, bob, carol = (verified_user(name) for name in ("alice", "bob", "carol"))
    dave = verified_user(ERASED)
    area = TechnologyAreaFactory(name="Energy storage", slug="energy-storage")
    open_case = staffed(
        case_factory(
            "open",
            claims=2,
            reference="OPEN-1",
            title='=HYPERLINK("http://x")',
            areas=[area],
        ),
        reviewer,
        examiner,
    )
    case_factory("draft", reference="DRAFT-1", title="Draft case never public")
    withdrawn = case_factory("open", reference="WD-1", title="Withdrawn case title")
    withdrawn.unpublish(user=editor_a)

    doc = library_doc(1, published_on=date(1999, 1, 1), published_on_precision="year")
    vetted = make_prior_art(
        open_case,
        alice,
        title="Vetted survey",
        authors="@SUM(1+1)",
        relevance="-1 would be a formula",
        claims=(1, 2),
        published_on=date(2001, 5, 17),
        published_on_precision="month",
    )
    services.prior_art_vet(prior_art=vetted, actor=reviewer)
    vetted.library_document = doc
    vetted.save(update_fields=["library_document"])
    submission_services.vote_set(prior_art=vetted, voter=bob, rating=4)
    submission_services.vote_set(prior_art=vetted, voter=carol, rating=5)
    make_prior_art(open_case, bob, title="Unscreened submission")
    make_prior_art(open_case, bob, public=False, title="Held submission")
    rejected = make_prior_art(open_case, bob, title="Rejected submission")
    services.prior_art_reject(prior_art=rejected, actor=reviewer, reason="Off topic")
    hidden = make_prior_art(open_case, carol, title="Hidden after reports")
    services.prior_art_vet(prior_art=hidden, actor=reviewer)
    submission_services.flag_create(reporter=bob, reason="spam", prior_art=hidden)

    forwarded_case = staffed(
        case_factory("open", claims=1, reference="FWD-1", title="Forwarded case"),
        reviewer,
        examiner,
    )
    used = make_prior_art(forwarded_case, dave, title="Used evidence")
    waiting = make_prior_art(forwarded_case, alice, title="Awaiting evidence")
    for item in (used, waiting):
        services.prior_art_vet(prior_art=item, actor=reviewer)
    close_case(forwarded_case)
    dossier, _ = services.case_forward(case_id=forwarded_case.pk, actor=reviewer)
    first = dossier.items.get(prior_art=used)
    services.dossier_item_decide(
        item=first, actor=examiner, outcome=Outcome.USED_IN_ACTION, note=NOTE
    )
    account_erase(user=dave)
    return {
        "open_case": open_case,
        "forwarded_case": forwarded_case,
        "people": [alice, bob, carol, verified_user("erin")],
        "vetted": vetted,
        "doc": doc,
    }


def read(out_dir) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in out_dir.iterdir()}


def jsonl(files, name) -> list[dict]:
    return [json.loads(line) for line in files[name].decode().splitlines()]


def csv_rows(files, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[name].decode(), newline="")))
