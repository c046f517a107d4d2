"""Only what the searcher may see is ever returned or counted: drafts and unpublished
cases, hidden comments, comments on evidence the searcher cannot see, submissions held
for screening, rejected or withdrawn, and other agencies' drafts stay out of the hits
and out of the counts of every kind, for the public, for other contributors and for
editors; the author still finds their own held submission."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from search import engine
from search.sources import Filters
from submissions import services
from submissions.models import Comment, PriorArt
from tests.factories import AgencyFactory, UserFactory
from tests.submissions.factories import set_state, verified_user

from .factories import comment_on, evidence

pytestmark = pytest.mark.django_db

# Each word appears in exactly one item the public must not see.
HIDDEN_WORDS = {
    "draftword": "a draft case of another agency",
    "unpublishedword": "evidence and a comment on another agency's case taken down",
    "moderatedword": "a comment hidden by a moderator",
    "flaggedword": "a comment hidden after reports",
    "heldword": "a submission held for a first screening",
    "heldreplyword": "a comment on a submission held for screening",
    "rejectedword": "a rejected submission",
    "withdrawnword": "a withdrawn submission",
    "reportedword": "a submission hidden after reports",
}


@pytest.fixture
def world(case_factory, admin_user, editor_a):
    """A published open case with a public submission ("publicword") and everything
    in HIDDEN_WORDS; the author of the hidden submissions is ``author``."""
    author = verified_user("author")
    agency_b = AgencyFactory(name="Energy Regulator", slug="energy-regulator")
    case_factory("draft", agency=agency_b, title="Draftword storage rule")

    gone = case_factory("open", title="Taken down", agency=agency_b)
    evidence(gone, "Unpublishedword evidence", author=author)
    comment_on(gone, "An unpublishedword remark.", author=author)
    gone.unpublish(user=admin_user)

    case = case_factory("open", title="Published charger")
    evidence(case, "Publicword evidence", author=verified_user("other"))
    comment_on(case, "A publicword remark.")
    services.comment_hide(
        comment=comment_on(case, "A moderatedword remark."),
        actor=admin_user,
        reason="Off topic.",
    )
    flagged = comment_on(case, "A flaggedword remark.")
    Comment.objects.filter(pk=flagged.pk).update(hidden_by_flags=True)

    held = evidence(case, "Heldword evidence", author=author, public=False)
    assert held.held_for_screening
    comment_on(case, "A heldreplyword remark.", author=author, prior_art=held)
    rejected = evidence(case, "Rejectedword evidence", author=author)
    set_state(rejected, "rejected", reason="Not prior art.")
    withdrawn = evidence(case, "Withdrawnword evidence", author=author)
    services.prior_art_withdraw(prior_art=withdrawn, actor=author)
    reported = evidence(case, "Reportedword evidence", author=author)
    PriorArt.objects.filter(pk=reported.pk).update(hidden_by_flags=True)
    return {"case": case, "author": author, "held": held, "editor_a": editor_a}


def found(user, q, **filters) -> tuple[set[str], dict[str, int]]:
    results = engine.search(user=user, q=q, filters=Filters(**filters), per_page=50)
    return {hit.type for hit in results.hits}, {c.key: c.count for c in results.counts}


OTHER_AGENCY_WORDS = ("draftword", "unpublishedword")


@pytest.mark.parametrize("who", ["anonymous", "contributor"])
def test_what_the_public_may_not_see_is_neither_found_nor_counted(world, who):
    user = AnonymousUser() if who == "anonymous" else verified_user("bystander")
    kinds, _counts = found(user, "publicword")
    assert kinds == {"prior_art", "comment"}  # the search works for this user
    for word, what in HIDDEN_WORDS.items():
        kinds, counts = found(user, word)
        assert kinds == set(), f"{what} was found by {who}"
        assert set(counts.values()) == {0}, f"{what} was counted for {who}: {counts}"
        kinds, counts = found(user, word, case=world["case"])
        assert kinds == set() and set(counts.values()) == {0}, what


def test_an_editor_finds_nothing_of_another_agency_unpublished_cases(world):
    editor = world["editor_a"]
    for word in OTHER_AGENCY_WORDS:
        kinds, counts = found(editor, word)
        assert kinds == set() and set(counts.values()) == {0}, HIDDEN_WORDS[word]
    # On their own agency's case they are staff, and see what its pages show them.
    assert found(editor, "heldword")[0] == {"prior_art"}


def test_the_author_finds_their_own_held_submission_and_its_comment(world):
    author = world["author"]
    kinds, counts = found(author, "heldword")
    assert kinds == {"prior_art"} and counts["prior_art"] == 1
    kinds, counts = found(author, "heldreplyword")
    assert kinds == {"comment"} and counts["comment"] == 1
    # Still nobody else's business.
    assert found(AnonymousUser(), "heldword")[1]["prior_art"] == 0


def test_hidden_words_do_not_shape_counts_on_a_broad_query(world):
    """A word every item shares counts only the visible ones."""
    _kinds, counts = found(AnonymousUser(), "remark")
    assert counts["comment"] == 1  # the publicword remark only
    _kinds, counts = found(AnonymousUser(), "evidence")
    assert counts["prior_art"] == 1


def test_the_search_page_shows_no_hidden_item_in_hits_or_tabs(client, world):
    for word in HIDDEN_WORDS:
        response = client.get(reverse("search:search"), {"q": word})
        assert response.context["results"].hits == []
        assert 'class="search-hit' not in response.text
        assert f"0 results for “{word}”" in response.text
        assert "Nothing matches your search." in response.text


def test_a_case_scoped_search_of_a_draft_case_is_not_found(client, case_factory):
    draft = case_factory("draft", title="Unpublished")
    response = client.get(reverse("search:search"), {"q": "charger", "case": draft.pk})
    assert response.status_code == 404
    staff = UserFactory(username="root2", is_superuser=True, is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("search:search"), {"q": "charger", "case": draft.pk})
    assert response.status_code == 404  # the public pages never show drafts


def test_evidence_on_an_own_case_taken_down_links_no_missing_case_page(
    client, case_factory, admin_user, editor_a
):
    """Its agency's editors still find the evidence (theirs to see); the hit links the
    submission, which opens, and names the case without a link to its page, which is
    not public any more."""
    case = case_factory("open", title="Own case taken down")
    item = evidence(case, "Takendownword evidence")
    case.unpublish(user=admin_user)
    results = engine.search(user=editor_a, q="takendownword")
    [hit] = results.hits
    assert hit.meta["case_url"] == ""
    client.force_login(editor_a)
    assert client.get(hit.url).status_code == 200
    page = client.get("/search/", {"q": "takendownword"}).text
    assert f"{case.reference} (not published)" in page
    assert f'href="{case.get_absolute_url()}"' not in page
    assert item.tracking_ref in page


def test_private_text_does_not_shape_the_scores_of_what_the_searcher_sees(
    case_factory, admin_user
):
    """A word's document frequency is taken over what anyone may see, both the stored
    statistics and the live count of a word they do not know yet. Otherwise the score
    of a visible hit would tell whether (and how often) the word is in held, rejected,
    hidden or unpublished text."""
    from search import stats

    case = case_factory("open", title="Published charger")
    evidence(case, "Probeword evidence", author=verified_user("other"))
    # Enough other public text that one more document changes an idf.
    for n in range(3):
        evidence(case, f"Filler evidence {n}", author=verified_user(f"filler{n}"))

    def score(user):
        [hit] = engine.search(user=user, q="probeword").hits
        return hit.rank

    before = score(AnonymousUser())

    author = verified_user("prober")
    held = evidence(case, "Probeword held", author=author, public=False)
    comment_on(
        case, "A probeword reply to held evidence.", author=author, prior_art=held
    )
    rejected = evidence(case, "Probeword rejected", author=author)
    set_state(rejected, "rejected", reason="Not prior art.")
    services.comment_hide(
        comment=comment_on(case, "A probeword remark."), actor=admin_user, reason="No."
    )
    gone = case_factory("open", title="Taken down")
    evidence(gone, "Probeword on a case taken down", author=author)
    comment_on(gone, "A probeword remark on a case taken down.", author=author)
    gone.unpublish(user=admin_user)

    assert score(AnonymousUser()) == pytest.approx(before)  # counted live
    stats.refresh()
    assert score(AnonymousUser()) == pytest.approx(before)  # from the statistics
    # The author sees their held item, ranked by the same public statistics.
    assert {hit.title for hit in engine.search(user=author, q="probeword").hits} >= {
        "Probeword held",
        "Probeword evidence",
    }
