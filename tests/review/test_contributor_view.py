"""What a contributor sees of review on their submission's page: the reviewers' message
with the guidelines, the examiner's decision and note; what others see of it."""

from __future__ import annotations

import pytest
from django.test import Client

from cases import services as case_services
from review import services
from tests.submissions.factories import close_case, make_prior_art, verified_user

pytestmark = pytest.mark.django_db


def page(user, prior_art) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(prior_art.get_absolute_url())
    assert response.status_code == 200
    return response.text


@pytest.fixture
def staffed_case(case_factory, reviewer, examiner):
    case = case_factory("open", claims=2)
    case_services.case_appoint_reviewer(case=case, user=reviewer)
    case_services.case_appoint_examiner(case=case, user=examiner)
    return case


def test_rejection_reason_links_the_guidelines(staffed_case, reviewer):
    alice = verified_user("alice-cv")
    item = make_prior_art(staffed_case, alice, title="Unrelated brochure")
    services.prior_art_reject(
        prior_art=item, actor=reviewer, reason="It does not predate the claims."
    )
    html = page(alice, item)
    assert "It does not predate the claims." in html
    assert 'href="/guidelines-contributors/"' in html


def test_reviewer_notes_stay_with_the_reviewers(staffed_case, reviewer):
    alice = verified_user("alice-cv2")
    item = make_prior_art(staffed_case, alice, title="Thermo survey")
    services.reviewer_rating_set(
        prior_art=item, reviewer=reviewer, rating=2, note="Weak on claim 2, between us"
    )
    assert "between us" not in page(alice, item)
    assert "Screen this submission" in page(reviewer, item)
    assert "Screen this submission" not in page(alice, item)


def test_examiner_decision_shown_to_author_with_note_and_to_public_without(
    staffed_case, reviewer, examiner
):
    alice = verified_user("alice-cv3")
    item = make_prior_art(staffed_case, alice, title="Seebeck charger paper")
    services.prior_art_vet(prior_art=item, actor=reviewer)
    close_case(staffed_case)
    dossier, _created = services.case_forward(case_id=staffed_case.pk, actor=reviewer)
    item.refresh_from_db()
    assert "awaiting the examiner" in page(None, item)

    services.dossier_item_decide(
        item=dossier.items.get(),
        actor=examiner,
        outcome="used_in_action",
        note="Cited against claim 1 in the first office action.",
    )
    own = page(alice, item)
    assert "Used in an office action" in own
    assert "Cited against claim 1" in own
    public = page(None, item)
    assert "Used in an office action" in public
    assert "Cited against claim 1" not in public
