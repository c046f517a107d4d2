"""Permission matrix of the review API: every role × case state × endpoint, each cell
asserted.

401 anonymous; 404 for what the user may not see (a held submission outside their
cases, any dossier of a case they do not examine, even one they know exists); 403 for
what they see but may not do; the list endpoints also say whether this case's row is
there. Every cell runs in a savepoint that is rolled back, so each starts from the same
state. The case is in technology area ``matrix-area``; its staff are appointed through
the cases services, and its evidence is screened, forwarded and decided through the
review services.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

from cases import services as case_services
from review import services
from review.models import Dossier, ForwardTrigger
from tests.factories import TechnologyAreaFactory
from tests.submissions.api_helpers import api, relax, verified
from tests.submissions.factories import close_case, make_prior_art

from .test_api import hold

pytestmark = pytest.mark.django_db

STATES = ["open", "closed", "forwarded", "decided"]
ROLES = [
    "anonymous",
    "contributor",
    "reviewer",
    "other_reviewer",
    "area_reviewer",
    "examiner",
    "other_examiner",
    "editor",
]


@pytest.fixture(autouse=True)
def _relaxed(settings):
    relax(settings)


def table(**rows: str) -> dict[str, list[str]]:
    """``role="200+ 403 ..."``, one column per state; ``+``/``-``: this case's row is
    in the list or not; ``.``: no such request in this state (there is no dossier)."""
    return {role: cells.split() for role, cells in rows.items()}


NOBODY_BUT_EXAMINER = table(
    anonymous=". . 401 401",
    contributor=". . 404 404",
    reviewer=". . 404 404",  # they forwarded it, but the dossier is the examiner's
    other_reviewer=". . 404 404",
    area_reviewer=". . 404 404",
    examiner=". . 200 200",
    other_examiner=". . 404 404",
    editor=". . 404 404",
)

#                     open closed forwarded decided
EXPECTED = {
    "queue": table(
        anonymous="401 401 401 401",
        contributor="403 403 403 403",
        reviewer="200+ 200+ 200- 200-",
        other_reviewer="200- 200- 200- 200-",
        area_reviewer="200+ 200+ 200- 200-",
        examiner="403 403 403 403",
        other_examiner="403 403 403 403",
        editor="403 403 403 403",
    ),
    # A held submission: only its author and the case's staff know it exists.
    "screen": table(
        anonymous="401 401 401 401",
        contributor="404 404 404 404",
        reviewer="200 200 403 403",
        other_reviewer="404 404 404 404",
        area_reviewer="200 200 403 403",
        examiner="403 403 403 403",
        other_examiner="404 404 404 404",
        editor="403 403 403 403",
    ),
    "forward": table(
        anonymous="401 401 401 401",
        contributor="403 403 403 403",
        reviewer="201 201 200 200",
        other_reviewer="403 403 403 403",
        area_reviewer="201 201 200 200",
        examiner="403 403 403 403",
        other_examiner="403 403 403 403",
        editor="403 403 403 403",
    ),
    "dossier list": table(
        anonymous="401 401 401 401",
        contributor="403 403 403 403",
        reviewer="403 403 403 403",
        other_reviewer="403 403 403 403",
        area_reviewer="403 403 403 403",
        examiner="200- 200- 200+ 200+",
        other_examiner="200- 200- 200- 200-",
        editor="403 403 403 403",
    ),
    "dossier": NOBODY_BUT_EXAMINER,
    "decide item": NOBODY_BUT_EXAMINER,
    "claim chart csv": NOBODY_BUT_EXAMINER,
    "claim chart pdf": NOBODY_BUT_EXAMINER,
}


@dataclass
class World:
    """A case in one state with people in every role, a held submission and, once
    forwarded, its dossier."""

    case: object
    users: dict
    held: object
    dossier: Dossier | None


def build(state: str, case_factory, editor_a) -> World:
    area = TechnologyAreaFactory(slug="matrix-area")
    case = case_factory("open", claims=3, areas=[area])
    other_case = case_factory("open")
    users = {
        "anonymous": None,
        "contributor": verified("contributor-m"),
        "reviewer": verified("reviewer-m"),
        "other_reviewer": verified("other-reviewer-m"),
        "area_reviewer": verified("area-reviewer-m"),
        "examiner": verified("examiner-m"),
        "other_examiner": verified("other-examiner-m"),
        "editor": editor_a,
    }
    case_services.case_appoint_reviewer(case=case, user=users["reviewer"])
    case_services.area_appoint_reviewer(area=area, user=users["area_reviewer"])
    case_services.case_appoint_examiner(case=case, user=users["examiner"])
    case_services.case_appoint_reviewer(case=other_case, user=users["other_reviewer"])
    case_services.case_appoint_examiner(case=other_case, user=users["other_examiner"])

    authors = [verified(f"author-m{i}") for i in range(3)]
    for i, author in enumerate(authors[:2]):
        services.prior_art_vet(
            prior_art=make_prior_art(case, author, title=f"Vetted {i}", claims=(1, 2)),
            actor=users["reviewer"],
        )
    held = hold(make_prior_art(case, authors[2], title="Held for screening"))

    dossier = None
    if state != "open":
        close_case(case)
    if state in {"forwarded", "decided"}:
        dossier, _created = services.case_forward(
            case_id=case.pk, trigger=ForwardTrigger.CLOSE
        )
    if state == "decided":
        for item in dossier.items.all():
            services.dossier_item_decide(
                item=item, actor=users["examiner"], outcome="relevant"
            )
    case.refresh_from_db()
    assert case.status == state
    return World(case=case, users=users, held=held, dossier=dossier)


def requests(world: World) -> dict:
    """Each request, with the id of this case's row for the list endpoints."""
    calls = {
        "queue": (lambda c: c.get("/api/v1/review/queue/"), world.held.pk),
        "screen": (
            lambda c: c.post(
                f"/api/v1/prior-art/{world.held.pk}/screening/",
                {"decision": "reject", "reason": "Off topic."},
                format="json",
            ),
            None,
        ),
        "forward": (lambda c: c.post(f"/api/v1/cases/{world.case.pk}/forward/"), None),
        "dossier list": (
            lambda c: c.get("/api/v1/dossiers/"),
            world.dossier.pk if world.dossier else -1,
        ),
    }
    if world.dossier is not None:
        dossier = f"/api/v1/dossiers/{world.dossier.pk}/"
        item = world.dossier.items.order_by("rank").first()
        calls.update(
            {
                "dossier": (lambda c: c.get(dossier), None),
                "decide item": (
                    lambda c: c.put(
                        f"/api/v1/dossier-items/{item.pk}/decision/",
                        {"outcome": "not_relevant", "note": "Later than the claims."},
                        format="json",
                    ),
                    None,
                ),
                "claim chart csv": (lambda c: c.get(f"{dossier}claim-chart.csv"), None),
                "claim chart pdf": (lambda c: c.get(f"{dossier}claim-chart.pdf"), None),
            }
        )
    return calls


def cell(call, client) -> str:
    """Run one request in a savepoint that is rolled back; its status code, with
    ``+``/``-`` for a list that does or does not hold this case's row."""
    request, wanted = call
    with transaction.atomic():
        response = request(client)
        transaction.set_rollback(True)
    code = str(response.status_code)
    if wanted is not None and response.status_code == 200:
        code += (
            "+" if wanted in {row["id"] for row in response.json()["results"]} else "-"
        )
    return code


@pytest.mark.parametrize("state", STATES)
def test_review_api_matrix(state, case_factory, editor_a):
    world = build(state, case_factory, editor_a)
    column = STATES.index(state)
    calls = requests(world)

    actual, expected = {}, {}
    for action, rows in EXPECTED.items():
        for role in ROLES:
            want = rows[role][column]
            if want == ".":
                assert action not in calls
                continue
            actual[action, role] = cell(calls[action], api(world.users[role]))
            expected[action, role] = want

    assert actual == expected


@pytest.mark.parametrize("state", ["forwarded", "decided"])
def test_an_examiner_of_another_case_cannot_tell_a_dossier_exists(
    state, case_factory, editor_a
):
    world = build(state, case_factory, editor_a)
    item = world.dossier.items.order_by("rank").first()
    before = (item.outcome, item.note, item.decided_at)
    client = api(world.users["other_examiner"])
    real = client.get(f"/api/v1/dossiers/{world.dossier.pk}/")
    missing = client.get("/api/v1/dossiers/987654/")
    assert (real.status_code, real.json()) == (missing.status_code, missing.json())
    real_item = client.put(
        f"/api/v1/dossier-items/{item.pk}/decision/",
        {"outcome": "relevant"},
        format="json",
    )
    missing_item = client.put(
        "/api/v1/dossier-items/987654/decision/", {"outcome": "relevant"}, format="json"
    )
    assert (real_item.status_code, real_item.json()) == (
        missing_item.status_code,
        missing_item.json(),
    )
    item.refresh_from_db()
    assert (item.outcome, item.note, item.decided_at) == before


def test_a_reviewer_forward_tells_them_only_that_it_happened(case_factory, editor_a):
    world = build("closed", case_factory, editor_a)
    for role in ("reviewer", "area_reviewer"):
        response = api(world.users[role]).post(
            f"/api/v1/cases/{world.case.pk}/forward/"
        )
        assert set(response.json()) == {"forwarded", "item_count", "created"}, role
        assert response.json()["item_count"] == 2
