"""Cases in the Wagtail admin, through the real admin views: creating and publishing,
validation messages, claim freezing, and agency scoping on every route."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cases.models import Case, CaseStatus, Claim

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_cases_case"


def fmt(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def case_form(
    agency,
    *,
    reference="NP 2026/000123",
    opens_in=-1,
    closes_in=30,
    claims=None,
    **extra,
):
    now = timezone.now()
    claims = (
        claims
        if claims is not None
        else [
            {
                "number": 1,
                "text": "A charger comprising a thermoelectric module.",
                "depends_on": "",
            },
            {
                "number": 2,
                "text": "The charger of claim 1, wherein the module is bismuth telluride.",
                "depends_on": 1,
            },
            {
                "number": 3,
                "text": "A method of charging comprising routing exhaust heat.",
                "depends_on": "",
            },
        ]
    )
    data = {
        "agency": agency.pk,
        "reference": reference,
        "language": "en",
        "title": "Thermoelectric charger",
        "abstract": "Converts exhaust heat into charge.",
        "body": rich_text("<p>Look for automotive thermoelectric generators.</p>"),
        "priority_date": (now - timedelta(days=300)).date().isoformat(),
        "review_opens_at": fmt(now + timedelta(days=opens_in)),
        "review_closes_at": fmt(now + timedelta(days=closes_in)),
        "forward_limit": 10,
        "claims": inline_formset(claims, min=1),
        "documents": inline_formset([]),
    }
    data.update(extra)
    return nested_form_data(data)


def existing_claims_formset(case, changes=None, extra=()):
    claims = list(case.claims.order_by("number"))
    rows = []
    for claim in claims:
        row = {
            "id": claim.pk,
            "number": claim.number,
            "text": claim.text,
            "depends_on": claim.depends_on or "",
        }
        row.update((changes or {}).get(claim.number, {}))
        rows.append(row)
    rows.extend(extra)
    return inline_formset(rows, initial=len(claims), min=1)


def edit_form(case, **overrides):
    data = {
        "reference": case.reference,
        "language": case.language,
        "title": case.title,
        "abstract": case.abstract,
        "body": rich_text(case.body or ""),
        "priority_date": case.priority_date.isoformat(),
        "review_opens_at": fmt(case.review_opens_at),
        "review_closes_at": fmt(case.review_closes_at),
        "forward_limit": case.forward_limit,
        "claims": existing_claims_formset(case),
        "documents": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_editor_creates_and_publishes_a_case_with_claims(client, editor_a, agency_a):
    client.force_login(editor_a)
    response = client.post(
        reverse(f"{URL}:add"),
        case_form(agency_a) | {"action-publish": "action-publish"},
    )
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else ""
    )
    case = Case.objects.get(reference="NP 2026/000123")
    assert case.live
    assert case.status == CaseStatus.OPEN
    assert [(c.number, c.depends_on) for c in case.claims.order_by("number")] == [
        (1, None),
        (2, 1),
        (3, None),
    ]
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    assert (
        "The charger of claim 1, wherein the module is bismuth telluride." in page.text
    )


def test_saving_a_draft_does_not_publish(client, editor_a, agency_a):
    client.force_login(editor_a)
    response = client.post(reverse(f"{URL}:add"), case_form(agency_a))
    assert response.status_code == 302
    case = Case.objects.get()
    assert not case.live and case.status == CaseStatus.DRAFT
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_window_that_closes_before_it_opens_is_refused_with_a_message(
    client, editor_a, agency_a
):
    client.force_login(editor_a)
    response = client.post(
        reverse(f"{URL}:add"), case_form(agency_a, opens_in=10, closes_in=5)
    )
    assert response.status_code == 200
    assert "The review must close after it opens." in response.text
    assert response.context["form"]["title"].value() == "Thermoelectric charger"  # kept
    assert not Case.objects.exists()


def test_duplicate_reference_within_an_agency_is_refused(
    client, editor_a, agency_a, case_factory
):
    case_factory("open", reference="NP 2026/000123")
    client.force_login(editor_a)
    response = client.post(reverse(f"{URL}:add"), case_form(agency_a))
    assert response.status_code == 200
    assert "already exists" in response.text
    assert Case.objects.count() == 1


def test_same_reference_in_another_agency_is_fine(
    client, editor_b, agency_b, case_factory
):
    case_factory("open", reference="NP 2026/000123")
    client.force_login(editor_b)
    response = client.post(reverse(f"{URL}:add"), case_form(agency_b))
    assert response.status_code == 302
    assert Case.objects.filter(reference="NP 2026/000123").count() == 2


@pytest.mark.parametrize(
    "claims, message",
    [
        (
            [
                {"number": 1, "text": "A", "depends_on": ""},
                {"number": 3, "text": "B", "depends_on": 2},
            ],
            "Claim 3 depends on claim 2, which does not exist.",
        ),
        (
            [
                {"number": 1, "text": "A", "depends_on": ""},
                {"number": 2, "text": "B", "depends_on": 2},
            ],
            "A dependent claim can only refer to an earlier claim (a lower number).",
        ),
        (
            [
                {"number": 1, "text": "A", "depends_on": ""},
                {"number": 1, "text": "B", "depends_on": ""},
            ],
            "Please correct the duplicate data for case and number",
        ),
    ],
)
def test_bad_claim_sets_are_refused_with_a_message(
    client, editor_a, agency_a, claims, message
):
    client.force_login(editor_a)
    response = client.post(reverse(f"{URL}:add"), case_form(agency_a, claims=claims))
    assert response.status_code == 200
    assert message in response.text
    assert not Case.objects.exists()
    assert not Claim.objects.exists()


def test_editor_cannot_create_a_case_for_another_agency(client, editor_a, agency_b):
    client.force_login(editor_a)
    response = client.post(reverse(f"{URL}:add"), case_form(agency_b))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Case.objects.exists()


def test_claims_of_a_scheduled_case_can_still_change(client, editor_a, case_factory):
    case = case_factory("scheduled")
    client.force_login(editor_a)
    data = edit_form(
        case, claims=existing_claims_formset(case, {2: {"text": "Amended claim 2."}})
    )
    response = client.post(
        reverse(f"{URL}:edit", args=[case.pk]), data | {"action-publish": "1"}
    )
    assert response.status_code == 302
    assert case.claims.get(number=2).text == "Amended claim 2."


@pytest.mark.parametrize(
    "change",
    ["edit", "add", "delete"],
)
def test_claims_are_frozen_once_the_window_opens(
    client, editor_a, case_factory, change
):
    case = case_factory("open")
    before = list(case.claims.order_by("number").values_list("number", "text"))
    client.force_login(editor_a)
    if change == "edit":
        claims = existing_claims_formset(case, {2: {"text": "Sneaky amendment."}})
    elif change == "add":
        claims = existing_claims_formset(
            case, extra=[{"number": 4, "text": "New.", "depends_on": 1}]
        )
    else:
        claims = existing_claims_formset(case, {3: {"DELETE": "1"}})
    response = client.post(
        reverse(f"{URL}:edit", args=[case.pk]),
        edit_form(case, claims=claims) | {"action-publish": "1"},
    )
    assert response.status_code == 200
    assert "The claims of this case are frozen" in response.text
    assert list(case.claims.order_by("number").values_list("number", "text")) == before


def test_other_fields_of_an_open_case_can_still_change(client, editor_a, case_factory):
    case = case_factory("open")
    client.force_login(editor_a)
    response = client.post(
        reverse(f"{URL}:edit", args=[case.pk]),
        edit_form(case, title="Corrected title") | {"action-publish": "1"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "Corrected title"
    assert case.status == CaseStatus.OPEN


# --- Agency scoping on every admin route ----------------------------------------------

CASE_ROUTES = [
    "edit",
    "delete",
    "usage",
    "history",
    "inspect",
    "preview_on_edit",
    "unpublish",
    "lock",
    "unlock",
    "workflow_history",
]


def test_listing_shows_only_the_editors_agency(
    client, editor_a, agency_b, case_factory
):
    own = case_factory("draft", title="Own agency draft")
    other = case_factory("draft", agency=agency_b, title="Other agency secret draft")
    client.force_login(editor_a)
    response = client.get(reverse(f"{URL}:list"))
    assert response.status_code == 200
    assert own.title in response.text
    assert other.title not in response.text
    search = client.get(reverse(f"{URL}:list_results"), {"q": "secret"})
    assert other.title not in search.text


@pytest.mark.parametrize("route", CASE_ROUTES)
def test_every_case_route_is_404_for_an_editor_of_another_agency(
    client, editor_a, agency_b, case_factory, route
):
    other = case_factory("draft", agency=agency_b)
    client.force_login(editor_a)
    for method in (client.get, client.post):
        response = method(reverse(f"{URL}:{route}", args=[other.pk]))
        assert response.status_code == 404, (route, method)
    assert Case.objects.filter(pk=other.pk, locked=False).exists()


@pytest.mark.parametrize(
    "route", ["edit", "history", "usage", "inspect", "preview_on_edit"]
)
def test_every_case_route_works_for_the_editor_of_the_agency(
    client, editor_a, case_factory, route
):
    case = case_factory("draft")
    client.force_login(editor_a)
    assert client.get(reverse(f"{URL}:{route}", args=[case.pk])).status_code == 200


def test_revision_routes_are_scoped_too(client, editor_a, agency_b, case_factory):
    other = case_factory("scheduled", agency=agency_b)
    revision = other.latest_revision
    client.force_login(editor_a)
    for name, args in [
        ("revisions_view", [other.pk, revision.pk]),
        ("revisions_revert", [other.pk, revision.pk]),
        ("revisions_compare", [other.pk, "earliest", "latest"]),
        ("revisions_unschedule", [other.pk, revision.pk]),
    ]:
        if name == "revisions_compare":
            url = reverse(
                f"{URL}:{name}",
                kwargs={
                    "pk": other.pk,
                    "revision_id_a": "earliest",
                    "revision_id_b": "latest",
                },
            )
        else:
            url = reverse(f"{URL}:{name}", args=args)
        assert client.get(url).status_code == 404, name


def test_case_chooser_lists_only_the_editors_agency(
    client, editor_a, agency_b, case_factory
):
    own = case_factory("open", title="Own open case")
    other = case_factory("open", agency=agency_b, title="Other agency case")
    client.force_login(editor_a)
    response = client.get(reverse("wagtailsnippetchoosers_cases_case:choose"))
    assert response.status_code == 200
    assert own.title in response.text
    assert other.title not in response.text
    chosen = client.get(
        reverse("wagtailsnippetchoosers_cases_case:chosen", args=[other.pk])
    )
    assert chosen.status_code == 404


def test_non_numeric_case_id_in_admin_is_404(client, editor_a):
    client.force_login(editor_a)
    assert client.get("/admin/snippets/cases/case/edit/abc/").status_code == 404


def test_contributor_without_admin_access_is_sent_to_login(
    client, contributor, case_factory
):
    case = case_factory("draft")
    client.force_login(contributor)
    response = client.get(reverse(f"{URL}:edit", args=[case.pk]))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "login" in response["Location"]


def test_superuser_sees_every_agency(client, admin_user, agency_b, case_factory):
    own = case_factory("draft")
    other = case_factory("draft", agency=agency_b)
    client.force_login(admin_user)
    listing = client.get(reverse(f"{URL}:list")).text
    assert own.title in listing and other.title in listing
    assert client.get(reverse(f"{URL}:edit", args=[other.pk])).status_code == 200


def test_edit_page_warns_that_claims_are_frozen_before_any_change(
    client, editor_a, case_factory
):
    frozen = case_factory("open")
    editable = case_factory("scheduled")
    client.force_login(editor_a)
    warning = "These claims are frozen"
    assert warning in client.get(reverse(f"{URL}:edit", args=[frozen.pk])).text
    assert warning not in client.get(reverse(f"{URL}:edit", args=[editable.pk])).text
