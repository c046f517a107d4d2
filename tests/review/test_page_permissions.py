"""Permission matrix of the review pages: every role × case state × page, each cell
asserted (the API has its own matrix, test_api_permissions.py).

The rule (review/permissions.py, docs/guide-reviewer.md, docs/guide-examiner.md):
anonymous visitors on a staff page are sent to sign in, public pages answer everyone;
an object the user may not know about (a submission or ranking board of a case they do
not review, a dossier of a case they do not examine, anything of an unpublished case) is
a 404, exactly like an id that does not exist (but the screening page of a submission
of a published case that the user may see — public, theirs, or on a case they staff —
is a 403, as in the API); a signed-in user who is no staff at all
gets a 403 on the queue, the reports and the inbox; what they may see but not do now is a
403 page; what they may do answers 200 or, for a POST, redirects once it is done.

Cells: ``login`` redirect to sign in; ``done`` a POST that redirected and changed the
database; ``302`` a redirect that changed nothing (already forwarded, or a bulk action
whose rows were refused one by one); ``200+``/``200-`` a list (queue, reports, inbox)
that does or does not show this case's evidence, the case page with or without its
outcome section; ``.`` not asked in this state (no dossier before forwarding, nothing
submitted on a draft; the site-wide public pages only once there is a note to hide).
A refused POST must leave the database as it was, a 404 must not name what it hides
and a public page must not show the examiner's note: the cell says so if one does.

One world per state, built through the services: a case in technology area
``page-matrix-area`` with a held submission, two vetted ones (one reported), a hidden
comment and, once forwarded, its dossier (the first item decided with a note that no
public page may show). ``unpublished`` is that forwarded case taken down in the CMS
(status withdrawn). Every cell runs in a savepoint that is rolled back, so each starts
from the same state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import reverse

from cases import services as case_services
from cases.models import Case
from review import services
from review.models import Dossier, DossierItem, ForwardTrigger, ReviewerRating
from submissions import services as submission_services
from submissions.models import AuditEvent, Comment, Flag, FlagStatus, PriorArt
from tests.factories import TechnologyAreaFactory
from tests.submissions.api_helpers import relax, verified
from tests.submissions.factories import close_case, login, make_prior_art

from .test_api import hold

pytestmark = pytest.mark.django_db

STATES = ["open", "closed", "forwarded", "decided", "draft", "unpublished"]
ROLES = [
    "anonymous",
    "contributor",
    "author",
    "reviewer",
    "other_reviewer",
    "area_reviewer",
    "examiner",
    "other_examiner",
    "editor",
    "other_editor",
    "superuser",
]
NOTE = "Examiner only: claim 1 is anticipated by figure 3 of this survey."
MISSING = 987654


@pytest.fixture(autouse=True)
def _relaxed(settings):
    relax(settings)


def grid(text: str) -> dict[str, list[str]]:
    """A table of expected answers: a header line, then one line per role with one cell
    per state, in the order of ``STATES``; ``#`` starts a comment."""
    rows = {}
    for line in text.splitlines()[2:]:
        words = line.split("#")[0].split()
        if words:
            rows[words[0]] = words[1:]
    assert list(rows) == ROLES, list(rows)
    assert all(len(cells) == len(STATES) for cells in rows.values()), rows
    return rows


def everyone(cells: str) -> dict[str, list[str]]:
    """The same answers for every role."""
    return dict.fromkeys(ROLES, cells.split())


# Public pages. The site-wide ones (statistics, the contributors whose evidence was
# used) do not depend on this case: they are asked once it has an examiner's note that
# they must not show.
SITE_PUBLIC = everyone(".   .   200 200 .   200")
PUBLIC_CASE = everyone("200 200 200 200 404 404")

# The submission's screening page and its forms (a held submission of the case).
ITEM_GET = grid("""
                open  closed forwarded decided draft unpublished
anonymous       login login  login     login   .     login
contributor     404   404    404       404     .     404   # held: not theirs to know
author          403   403    403       403     .     404   # theirs; screening is not
reviewer        200   200    200       200     .     404   # read-only once forwarded
other_reviewer  404   404    404       404     .     404
area_reviewer   200   200    200       200     .     404
examiner        403   403    403       403     .     404   # staff: may see, not screen
other_examiner  404   404    404       404     .     404
editor          403   403    403       403     .     404
other_editor    404   404    404       404     .     404
superuser       200   200    200       200     .     404
""")
ITEM_POST = grid("""
                open  closed forwarded decided draft unpublished
anonymous       login login  login     login   .     login
contributor     404   404    404       404     .     404
author          403   403    403       403     .     404
reviewer        done  done   403       403     .     404   # "screening is over"
other_reviewer  404   404    404       404     .     404
area_reviewer   done  done   403       403     .     404
examiner        403   403    403       403     .     404
other_examiner  404   404    404       404     .     404
editor          403   403    403       403     .     404
other_editor    404   404    404       404     .     404
superuser       done  done   403       403     .     404
""")

# The dossier, its claim chart and the chart's downloads: the examiners' only.
DOSSIER_GET = grid("""
                open  closed forwarded decided draft unpublished
anonymous       .     .      login     login   .     login
contributor     .     .      404       404     .     404
author          .     .      404       404     .     404
reviewer        .     .      404       404     .     404   # forwarded by them, still
other_reviewer  .     .      404       404     .     404
area_reviewer   .     .      404       404     .     404
examiner        .     .      200       200     .     404
other_examiner  .     .      404       404     .     404
editor          .     .      404       404     .     404
other_editor    .     .      404       404     .     404
superuser       .     .      200       200     .     404
""")

EXPECTED = {
    # A reviewer of nothing published (their case a draft or taken down) reviews no
    # case: "You are not a reviewer" (review/views/screening.py, reviewed_cases).
    "queue": grid("""
                open  closed forwarded decided draft unpublished
anonymous       login login  login     login   login login
contributor     403   403    403       403     403   403
author          403   403    403       403     403   403
reviewer        200+  200+   200-      200-    403   403
other_reviewer  200-  200-   200-      200-    200-  200-
area_reviewer   200+  200+   200-      200-    403   403
examiner        403   403    403       403     403   403
other_examiner  403   403    403       403     403   403
editor          403   403    403       403     403   403
other_editor    403   403    403       403     403   403
superuser       200+  200+   200-      200-    200-  200-
"""),
    "item": ITEM_GET,
    "decide": ITEM_POST,
    "rate": ITEM_POST,
    # Rows the user may not screen are refused one by one ("302": nothing changed).
    "bulk": grid("""
                open  closed forwarded decided draft unpublished
anonymous       login login  login     login   .     login
contributor     403   403    403       403     .     403
author          403   403    403       403     .     403
reviewer        done  done   302       302     .     403
other_reviewer  302   302    302       302     .     302
area_reviewer   done  done   302       302     .     403
examiner        403   403    403       403     .     403
other_examiner  403   403    403       403     .     403
editor          403   403    403       403     .     403
other_editor    403   403    403       403     .     403
superuser       done  done   302       302     .     302
"""),
    # Reviewers and the agency's editors moderate, in every published state.
    "reports": grid("""
                open  closed forwarded decided draft unpublished
anonymous       login login  login     login   login login
contributor     403   403    403       403     403   403
author          403   403    403       403     403   403
reviewer        200+  200+   200+      200+    403   403
other_reviewer  200-  200-   200-      200-    200-  200-
area_reviewer   200+  200+   200+      200+    403   403
examiner        403   403    403       403     403   403
other_examiner  403   403    403       403     403   403
editor          200+  200+   200+      200+    200-  200-
other_editor    200-  200-   200-      200-    200-  200-
superuser       200+  200+   200+      200+    200-  200-
"""),
    "resolve_reports": grid("""
                open  closed forwarded decided draft unpublished
anonymous       login login  login     login   .     login
contributor     403   403    403       403     .     403
author          403   403    403       403     .     403
reviewer        done  done   done      done    .     403
other_reviewer  404   404    404       404     .     404
area_reviewer   done  done   done      done    .     403
examiner        403   403    403       403     .     403
other_examiner  403   403    403       403     .     403
editor          done  done   done      done    .     404
other_editor    404   404    404       404     .     404
superuser       done  done   done      done    .     404
"""),
    # A hidden comment's place is public ("hidden: <reason>"), so 403, not 404.
    "restore_comment": grid("""
                open  closed forwarded decided draft unpublished
anonymous       login login  login     login   .     login
contributor     403   403    403       403     .     404
author          403   403    403       403     .     404
reviewer        done  done   done      done    .     404
other_reviewer  403   403    403       403     .     404
area_reviewer   done  done   done      done    .     404
examiner        403   403    403       403     .     404
other_examiner  403   403    403       403     .     404
editor          done  done   done      done    .     404
other_editor    403   403    403       403     .     404
superuser       done  done   done      done    .     404
"""),
    "ranking": grid("""
                open  closed forwarded decided draft unpublished
anonymous       login login  login     login   login login
contributor     404   404    404       404     404   404
author          404   404    404       404     404   404
reviewer        200   200    200       200     404   404
other_reviewer  404   404    404       404     404   404
area_reviewer   200   200    200       200     404   404
examiner        404   404    404       404     404   404
other_examiner  404   404    404       404     404   404
editor          404   404    404       404     404   404
other_editor    404   404    404       404     404   404
superuser       200   200    200       200     404   404
"""),
    # Forwarding again says when it was forwarded and changes nothing ("302").
    "forward": grid("""
                open  closed forwarded decided draft unpublished
anonymous       login login  login     login   login login
contributor     404   404    404       404     404   404
author          404   404    404       404     404   404
reviewer        done  done   302       302     404   404
other_reviewer  404   404    404       404     404   404
area_reviewer   done  done   302       302     404   404
examiner        404   404    404       404     404   404
other_examiner  404   404    404       404     404   404
editor          404   404    404       404     404   404
other_editor    404   404    404       404     404   404
superuser       done  done   302       302     404   404
"""),
    # Examiners whose dossiers have not arrived see an empty inbox; others a 403.
    "inbox": grid("""
                open  closed forwarded decided draft unpublished
anonymous       login login  login     login   login login
contributor     403   403    403       403     403   403
author          403   403    403       403     403   403
reviewer        403   403    403       403     403   403
other_reviewer  403   403    403       403     403   403
area_reviewer   403   403    403       403     403   403
examiner        200-  200-   200+      200+    200-  200-
other_examiner  200-  200-   200-      200-    200-  200-
editor          403   403    403       403     403   403
other_editor    403   403    403       403     403   403
superuser       200-  200-   200+      200+    200-  200-
"""),
    "dossier": DOSSIER_GET,
    # A decision may still be changed once the case is decided.
    "decide_item": grid("""
                open  closed forwarded decided draft unpublished
anonymous       .     .      login     login   .     login
contributor     .     .      404       404     .     404
author          .     .      404       404     .     404
reviewer        .     .      404       404     .     404
other_reviewer  .     .      404       404     .     404
area_reviewer   .     .      404       404     .     404
examiner        .     .      done      done    .     404
other_examiner  .     .      404       404     .     404
editor          .     .      404       404     .     404
other_editor    .     .      404       404     .     404
superuser       .     .      done      done    .     404
"""),
    "claim_chart": DOSSIER_GET,
    "claim_chart_csv": DOSSIER_GET,
    "claim_chart_pdf": DOSSIER_GET,
    "used_contributors": SITE_PUBLIC,
    "stats": SITE_PUBLIC,
    "stats_csv": SITE_PUBLIC,
    "case_stats": PUBLIC_CASE,
    "case_stats_csv": PUBLIC_CASE,
    # "+": the outcome section is there (never with the examiner's note).
    "case_page": everyone("200- 200- 200+ 200+ 404 404"),
}

# Pages anyone may read: the examiner's note must never be on them.
PUBLIC_PAGES = {
    "used_contributors",
    "stats",
    "stats_csv",
    "case_stats",
    "case_stats_csv",
    "case_page",
}


@dataclass
class World:
    """A case in one state, people in every role, and what the pages act on."""

    state: str
    case: Case
    users: dict
    held: PriorArt | None  # waiting for its first screening
    reported: PriorArt | None  # vetted, with an open report
    comment: Comment | None  # hidden by a reviewer
    dossier: Dossier | None
    calls: dict = field(default_factory=dict)  # page -> (method, url, data)
    secrets: list = field(default_factory=list)  # what a 404 must not name


def build(state: str, case_factory, editor_a, editor_b, agency_b, admin_user) -> World:
    area = TechnologyAreaFactory(slug="page-matrix-area")
    case = case_factory(
        "draft" if state == "draft" else "open",
        claims=3,
        areas=[area],
        title="Peltier trickle charger for parked vehicles",
    )
    other_case = case_factory("open")  # same agency: still not theirs
    case_factory("open", agency=agency_b)  # so that editor-b moderates something
    users = {
        "anonymous": None,
        "contributor": verified("contributor-p"),
        "author": verified("author-p"),
        "reviewer": verified("reviewer-p"),
        "other_reviewer": verified("other-reviewer-p"),
        "area_reviewer": verified("area-reviewer-p"),
        "examiner": verified("examiner-p"),
        "other_examiner": verified("other-examiner-p"),
        "editor": editor_a,
        "other_editor": editor_b,
        "superuser": admin_user,
    }
    case_services.case_appoint_reviewer(case=case, user=users["reviewer"])
    case_services.area_appoint_reviewer(area=area, user=users["area_reviewer"])
    case_services.case_appoint_examiner(case=case, user=users["examiner"])
    case_services.case_appoint_reviewer(case=other_case, user=users["other_reviewer"])
    case_services.case_appoint_examiner(case=other_case, user=users["other_examiner"])
    world = World(state, case, users, None, None, None, None)
    world.secrets = [case.reference, case.title, NOTE]
    if state == "draft":
        world.calls = requests(world)
        return world

    reviewer, author = users["reviewer"], users["author"]
    first = make_prior_art(case, author, title="Thermopile survey", claims=(1, 2))
    services.prior_art_vet(prior_art=first, actor=reviewer)
    world.reported = make_prior_art(
        case, verified("second-author-p"), title="Seebeck charger patent"
    )
    services.prior_art_vet(prior_art=world.reported, actor=reviewer)
    submission_services.flag_create(
        reporter=users["contributor"], reason="spam", prior_art=world.reported
    )
    world.held = hold(
        make_prior_art(case, author, title="Bismuth telluride exhaust module")
    )
    world.comment = submission_services.comment_post(
        case=case, author=users["contributor"], body="Buy cheap watches!"
    )
    submission_services.comment_hide(
        comment=world.comment, actor=reviewer, reason="Advertising."
    )

    if state != "open":
        close_case(case)
    if state in {"forwarded", "decided", "unpublished"}:
        world.dossier, _created = services.case_forward(
            case_id=case.pk, trigger=ForwardTrigger.CLOSE
        )
        items = list(world.dossier.items.order_by("rank"))
        assert [item.prior_art_id for item in items] == [first.pk, world.reported.pk]
        services.dossier_item_decide(
            item=items[0], actor=users["examiner"], outcome="used_in_action", note=NOTE
        )
        if state == "decided":
            services.dossier_item_decide(
                item=items[1], actor=users["examiner"], outcome="relevant"
            )
    if state == "unpublished":
        case.unpublish()
    case.refresh_from_db()
    assert case.status == {"unpublished": "withdrawn"}.get(state, state)
    assert case.live == (state != "unpublished")
    world.calls = requests(world)
    world.secrets += [first.title, world.reported.title, world.held.title]
    world.secrets += [first.tracking_ref, world.held.tracking_ref]
    return world


def requests(world: World) -> dict[str, tuple[str, str, dict | None]]:
    """Each page as ``(method, url, data)``; the POSTs carry valid forms."""
    case = world.case.pk

    def url(name, *args):
        return reverse(f"review:{name}", args=args)

    calls = {
        "queue": ("get", url("queue"), None),
        "reports": ("get", url("reports"), None),
        "ranking": ("get", url("ranking", case), None),
        "forward": ("post", url("forward", case), {"confirm": "on"}),
        "inbox": ("get", url("inbox"), None),
        "used_contributors": ("get", url("used_contributors"), None),
        "stats": ("get", url("stats"), None),
        "stats_csv": ("get", url("stats_csv"), None),
        "case_stats": ("get", url("case_stats", case), None),
        "case_stats_csv": ("get", url("case_stats_csv", case), None),
        "case_page": ("get", reverse("cases:detail", args=[case]), None),
    }
    if world.held is not None:
        ref = world.held.tracking_ref
        reject = {"decision": "reject", "reason": "Off topic for these claims."}
        calls.update(
            {
                "item": ("get", url("item", ref), None),
                "decide": ("post", url("decide", ref), reject),
                "rate": ("post", url("rate", ref), {"rating": "4", "note": "Close."}),
                "bulk": (
                    "post",
                    url("bulk"),
                    {"prior_art": [world.held.pk], "next": url("queue"), **reject},
                ),
                "resolve_reports": (
                    "post",
                    url("resolve_reports"),
                    {
                        "target": "prior_art",
                        "id": world.reported.pk,
                        "decision": "dismiss",
                        "reason": "Not spam.",
                    },
                ),
                "restore_comment": (
                    "post",
                    url("restore_comment", world.comment.pk),
                    {"reason": "It was fine."},
                ),
            }
        )
    if world.dossier is not None:
        dossier = world.dossier.pk
        item = world.dossier.items.order_by("rank").last()
        prefix = f"item-{item.pk}"
        calls.update(
            {
                "dossier": ("get", url("dossier", dossier), None),
                "decide_item": (
                    "post",
                    url("decide_item", item.pk),
                    {f"{prefix}-outcome": "not_relevant", f"{prefix}-note": "Later."},
                ),
                "claim_chart": ("get", url("claim_chart", dossier), None),
                "claim_chart_csv": ("get", url("claim_chart_csv", dossier), None),
                "claim_chart_pdf": ("get", url("claim_chart_pdf", dossier), None),
            }
        )
    return calls


def snapshot(world: World) -> tuple:
    """Everything a POST of the matrix could change."""
    return (
        AuditEvent.objects.count(),
        Case.objects.filter(pk=world.case.pk).values_list("status", flat=True).get(),
        tuple(
            PriorArt.objects.filter(case=world.case)
            .order_by("pk")
            .values_list("status", "held_for_screening", "hidden_by_flags")
        ),
        ReviewerRating.objects.count(),
        Flag.objects.filter(status=FlagStatus.OPEN).count(),
        Comment.objects.filter(hidden=True).count(),
        Dossier.objects.count(),
        tuple(DossierItem.objects.order_by("pk").values_list("outcome", "note")),
    )


def marker(page: str, world: World, content: str) -> str:
    """``+``/``-`` for the pages whose cell says whether this case shows there."""
    if page == "queue":
        return "+" if world.held and world.held.tracking_ref in content else "-"
    if page in {"reports", "inbox"}:
        return "+" if world.case.reference in content else "-"
    if page == "case_page":
        return "+" if 'aria-labelledby="outcome-heading"' in content else "-"
    return ""


def send(client: Client, call) -> object:
    """Make one ``(method, url, data)`` request."""
    method, url, data = call
    return client.post(url, data) if method == "post" else client.get(url)


def code(response) -> str:
    """The status code, or ``login`` for a redirect to the sign-in page."""
    login_url = reverse("account_login")
    if response.status_code == 302 and response["Location"].startswith(login_url):
        return "login"
    return str(response.status_code)


def cell(world: World, page: str, client: Client, before: tuple) -> str:
    """Run one request in a savepoint that is rolled back and describe its answer."""
    call = world.calls[page]
    with transaction.atomic():
        response = send(client, call)
        changed = call[0] == "post" and snapshot(world) != before
        transaction.set_rollback(True)
    # A redirect's flash message waits in a cookie for the next page: drop it, or it
    # would name this case on the next page this client asks for.
    client.cookies.pop("messages", None)
    answer = code(response)
    if changed:
        return "done" if answer == "302" else f"{answer} (changed the database!)"
    text = response.content.decode("utf-8", "replace")
    if answer == "200":
        answer += marker(page, world, text)
    if answer == "404" and any(secret in text for secret in world.secrets):
        answer += " (names what it hides!)"
    if page in PUBLIC_PAGES and NOTE in text:
        answer += " (shows the examiner's note!)"
    return answer


def clients(world: World) -> dict[str, Client]:
    """A signed-in client per role (anonymous: signed out)."""
    return {
        role: login(Client(), user) if user else Client()
        for role, user in world.users.items()
    }


@pytest.fixture
def world_for(case_factory, editor_a, editor_b, agency_b, admin_user):
    def make(state: str) -> World:
        return build(state, case_factory, editor_a, editor_b, agency_b, admin_user)

    return make


@pytest.mark.parametrize("state", STATES)
def test_review_pages_matrix(state, world_for):
    world = world_for(state)
    column = STATES.index(state)
    users = clients(world)
    before = snapshot(world)

    actual, expected = {}, {}
    for page, rows in EXPECTED.items():
        for role in ROLES:
            want = rows[role][column]
            if want == ".":
                continue
            assert page in world.calls, (page, state)
            actual[page, role] = cell(world, page, users[role], before)
            expected[page, role] = want

    assert actual == expected
    assert snapshot(world) == before


# --- What a 404 gives away: nothing ------------------------------------------------------


TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _missing_call(world: World, page: str) -> tuple:
    """``page``'s request with this world's object replaced by an id that does not
    exist."""
    method, url, data = world.calls[page]
    if page == "resolve_reports":
        return method, url, {**data, "id": MISSING}
    item = world.dossier.items.order_by("rank").last() if world.dossier else None
    real_id = {
        "item": world.held.tracking_ref,
        "decide": world.held.tracking_ref,
        "rate": world.held.tracking_ref,
        "ranking": world.case.pk,
        "forward": world.case.pk,
        "case_page": world.case.pk,
        "case_stats": world.case.pk,
        "case_stats_csv": world.case.pk,
        "restore_comment": world.comment.pk,
        "decide_item": getattr(item, "pk", None),
    }.get(page, getattr(world.dossier, "pk", None))
    missing = url.replace(f"/{real_id}/", f"/{MISSING}/")
    assert missing != url, (page, url)
    return method, missing, data


def _answers(world: World, page: str, client: Client) -> tuple:
    """``(status, body)`` for this world's object and for a missing one, the
    per-response CSRF token masked."""
    answers = []
    for call in (world.calls[page], _missing_call(world, page)):
        with transaction.atomic():
            response = send(client, call)
            transaction.set_rollback(True)
        client.cookies.pop("messages", None)
        answers.append((response.status_code, TOKEN.sub(b"", response.content)))
    return tuple(answers)


# Per state, who asks for what they may not know about.
HIDDEN = {
    "forwarded": {
        "other_examiner": [
            "dossier",
            "claim_chart",
            "claim_chart_csv",
            "claim_chart_pdf",
            "decide_item",
        ],
        "other_reviewer": ["item", "decide", "rate", "ranking", "forward"],
        "other_editor": ["resolve_reports", "ranking"],
        "reviewer": ["dossier", "claim_chart_csv"],  # they forwarded it, even so
    },
    # Everything of a case taken down, even for its own staff.
    "unpublished": {
        "examiner": ["dossier", "claim_chart_pdf", "decide_item", "restore_comment"],
        "reviewer": ["item", "decide", "ranking", "forward"],
        "editor": ["resolve_reports", "case_page", "case_stats"],
    },
}


@pytest.mark.parametrize("state", list(HIDDEN))
def test_a_hidden_object_answers_exactly_like_a_missing_one(state, world_for):
    """An examiner of another case learns nothing of this dossier (nor a reviewer of
    another case of this evidence, nor anyone of a case taken down): the same status and
    the same page, byte for byte, as for an id that does not exist; nothing changes."""
    world = world_for(state)
    users = clients(world)
    before = snapshot(world)
    for role, pages in HIDDEN[state].items():
        for page in pages:
            assert EXPECTED[page][role][STATES.index(state)] == "404", (page, role)
            real, missing = _answers(world, page, users[role])
            assert real[0] == 404, (page, role)
            assert real == missing, (page, role)
            assert not [s for s in world.secrets if s.encode() in real[1]], (page, role)
    assert snapshot(world) == before


def test_a_bulk_action_on_another_cases_evidence_reads_like_a_missing_id(world_for):
    """The queue's bulk action refuses row by row; for a submission of a case the
    reviewer does not review it says exactly what it says for an id that does not
    exist."""
    world = world_for("open")
    client = clients(world)["other_reviewer"]
    method, url, data = world.calls["bulk"]
    said = []
    for pk in (world.held.pk, MISSING):
        response = client.post(url, {**data, "prior_art": [pk]})
        assert response.status_code == 302
        text = " ".join(str(m) for m in get_messages(response.wsgi_request))
        said.append(text.replace(str(pk), "<id>"))
        client.cookies.pop("messages", None)
    assert said[0] == said[1]
    assert "no such submission" in said[0]
    assert not [s for s in world.secrets if s in said[0]]
    world.held.refresh_from_db()
    assert world.held.status == "submitted"
