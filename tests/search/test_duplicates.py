"""Duplicate detection on submit through the search machinery: near-identical texts
(``search.similar``) beside the same identifier, the same fingerprint and the same
cited library document (``submissions.services.find_duplicates``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import similar, stats
from submissions import services
from submissions.models import PriorArtStatus
from tests.submissions.factories import make_prior_art, set_state, verified_user

from .factories import make_library_document

pytestmark = pytest.mark.django_db

TITLE = "Thermoelectric recovery of exhaust heat in passenger vehicles"
EXCERPT = (
    "A bismuth telluride generator clamped around the exhaust pipe converts waste "
    "heat into electricity; a boost converter regulates its output and charges the "
    "starter battery whenever the engine runs above idle, so the alternator load "
    "drops and fuel consumption falls by about three percent in urban driving."
)
# The same passage with one word changed ("charges" -> "recharges").
EXCERPT_ONE_WORD = EXCERPT.replace("charges the", "recharges the")
OTHER_EXCERPT = (
    "A solar panel on the roof of a parked caravan feeds a lead-acid leisure battery "
    "through a charge controller, keeping the fridge and the lights running for days "
    "without mains power or a generator."
)


@pytest.fixture
def case(case_factory):
    return case_factory("open", claims=2)


@pytest.fixture
def alice(db):
    return verified_user("alice-d")


@pytest.fixture
def bob(db):
    return verified_user("bob-d")


def near(case, title=TITLE, excerpt=EXCERPT, **kwargs) -> list[int]:
    return [
        found.id for found in similar.near_duplicates(case, title, excerpt, **kwargs)
    ]


def test_an_excerpt_reworded_by_one_word_is_a_near_duplicate(case, alice, bob):
    original = make_prior_art(case, bob, title=TITLE, excerpt=EXCERPT)
    found = similar.near_duplicates(case, TITLE, EXCERPT_ONE_WORD)
    assert [item.id for item in found] == [original.pk]
    assert 0.8 <= found[0].similarity < 1.0
    # Not the same fingerprint: only the near-identical check finds it.
    duplicates = list(
        services.find_duplicates(case=case, title=TITLE, excerpt=EXCERPT_ONE_WORD)
    )
    assert duplicates == [original]
    assert duplicates[0].duplicate_reason == "text"


def test_a_different_text_on_the_same_case_is_not(case, bob):
    make_prior_art(case, bob, title=TITLE, excerpt=EXCERPT)
    assert near(case, "Solar charging of a caravan battery", OTHER_EXCERPT) == []
    # Half the words in common is related, not a duplicate.
    half = " ".join(EXCERPT.split()[:30] + OTHER_EXCERPT.split()[:20])
    assert near(case, TITLE, half) == []


def test_the_same_text_on_another_case_is_not(case, case_factory, bob):
    other_case = case_factory("open", claims=1)
    make_prior_art(other_case, bob, title=TITLE, excerpt=EXCERPT)
    assert near(case) == []
    assert not services.find_duplicates(
        case=case, title=TITLE, excerpt=EXCERPT
    ).exists()


def test_a_withdrawn_submission_is_not(case, bob):
    withdrawn = make_prior_art(case, bob, title=TITLE, excerpt=EXCERPT)
    set_state(withdrawn, PriorArtStatus.WITHDRAWN)
    assert near(case, excerpt=EXCERPT_ONE_WORD) == []
    assert not services.find_duplicates(
        case=case, title=TITLE, excerpt=EXCERPT_ONE_WORD
    ).exists()


def test_rejected_and_held_submissions_still_count(case, bob):
    # Only withdrawal takes evidence out of the comparison: a rejected or unscreened
    # copy is still the same document.
    rejected = make_prior_art(case, bob, title=TITLE, excerpt=EXCERPT)
    set_state(rejected, PriorArtStatus.REJECTED, reason="Too late.")
    held = make_prior_art(case, bob, public=False, title=TITLE, excerpt=EXCERPT + " .")
    assert sorted(near(case, excerpt=EXCERPT_ONE_WORD)) == sorted(
        [rejected.pk, held.pk]
    )


def test_a_submission_is_not_its_own_duplicate(case, bob):
    original = make_prior_art(case, bob, title=TITLE, excerpt=EXCERPT)
    assert near(case, exclude_pk=original.pk) == []
    assert not services.find_duplicates(
        case=case, title=TITLE, excerpt=EXCERPT, exclude_pk=original.pk
    ).exists()


def test_the_relevance_counts_only_when_given(case, bob):
    original = make_prior_art(
        case, bob, title=TITLE, excerpt=EXCERPT, relevance="Claim 1 in full."
    )
    assert near(case, excerpt=EXCERPT_ONE_WORD) == [original.pk]
    assert (
        near(
            case,
            excerpt=EXCERPT_ONE_WORD,
            relevance="An entirely different argument about lithium cells, solar "
            "panels, caravans, fridges, controllers and weather forecasts in Norway, "
            "Sweden, Finland, Denmark, Iceland and Estonia over several decades.",
        )
        == []
    )


def test_the_stored_vectors_other_text_does_not_dilute_the_comparison(case, bob):
    # The stored vector also holds the contributor's own relevance and claim
    # explanations; a copy of the same passage with different words of its own is
    # still a near duplicate.
    original = make_prior_art(
        case,
        bob,
        title=TITLE,
        excerpt=EXCERPT,
        relevance="Anticipates every element: module, converter, battery, controller, "
        "idle detection, alternator relief, urban cycle measurements, Peltier theory.",
        claims=(1, 2),
    )
    assert near(case, excerpt=EXCERPT_ONE_WORD) == [original.pk]


def test_a_near_duplicate_differing_in_its_rarest_words_is_found(case, bob, alice):
    # The candidates come from an OR of the text's rarest lexemes: change the rarest
    # ones and the prefix filter must still reach the original through the others.
    for n in range(5):  # make every word of EXCERPT common but a few
        make_prior_art(
            case,
            alice,
            title=f"Unrelated filler {n}",
            excerpt=EXCERPT.replace("bismuth telluride", "").replace("boost", ""),
            relevance=f"Filler {n}.",
        )
    original = make_prior_art(case, bob, title=TITLE, excerpt=EXCERPT)
    stats.refresh(["prior_art"])
    changed = EXCERPT.replace("bismuth telluride", "lead selenide")
    assert near(case, excerpt=changed) == [original.pk]


def test_short_texts_are_left_to_the_fingerprint(case, bob):
    make_prior_art(case, bob, title="Exhaust heat", excerpt="")
    assert near(case, "Exhaust heat", "") == []
    assert near(case, "Exhaust heats", "") == []


def test_threshold_must_be_a_similarity(case):
    for threshold in (0, -1, 1.5):
        with pytest.raises(ValueError):
            similar.near_duplicates(case, TITLE, EXCERPT, threshold=threshold)


def test_a_stricter_threshold_drops_what_a_looser_one_keeps(case, bob):
    original = make_prior_art(case, bob, title=TITLE, excerpt=EXCERPT)
    assert near(case, excerpt=EXCERPT_ONE_WORD, threshold=0.8) == [original.pk]
    assert near(case, excerpt=EXCERPT_ONE_WORD, threshold=1.0) == []
    assert near(case, excerpt=EXCERPT, threshold=1.0) == [original.pk]


def test_prefix_size_leaves_no_way_to_reach_the_threshold_without_it():
    # Whatever holds none of the first k lexemes shares at most n - k of them, fewer
    # than the ceil(t * n) a similarity of t needs.
    for n in range(1, 60):
        for threshold in (0.5, 0.7, 0.8, 0.85, 0.9, 1.0):
            k = similar.prefix_size(n, threshold)
            best_without = (n - k) / n  # all the rest shared, nothing else
            assert best_without < threshold, (n, threshold, k)
            # ... and it is the smallest such prefix: one lexeme fewer could miss a match.
            assert k == 1 or (n - (k - 1)) / n >= threshold, (n, threshold, k)


def test_the_same_library_document_cited_twice_is_a_duplicate(case, bob):
    document = make_library_document(title="Exhaust generator handbook")
    original = make_prior_art(
        case,
        bob,
        title="A handbook",
        excerpt="Chapter four.",
        library_document=document,
    )
    make_prior_art(case, bob, title="Another handbook", excerpt="Chapter five.")
    duplicates = list(services.find_duplicates(case=case, library_document=document))
    assert duplicates == [original]
    assert duplicates[0].duplicate_reason == "library"
    assert list(services.find_duplicates(case=case, library_document=document.pk)) == [
        original
    ]
    other = make_library_document(title="Something else", body="Other text.")
    assert not services.find_duplicates(case=case, library_document=other).exists()


def test_every_way_of_matching_lists_a_submission_once(case, bob):
    original = make_prior_art(
        case,
        bob,
        title=TITLE,
        excerpt=EXCERPT,
        identifier="US 7,654,321 B2",
    )
    duplicates = list(
        services.find_duplicates(
            case=case, identifier="us7654321", title=TITLE, excerpt=EXCERPT_ONE_WORD
        )
    )
    assert duplicates == [original]
    assert duplicates[0].duplicate_reason == "identifier"


def test_duplicates_come_oldest_first(case, alice, bob):
    first = make_prior_art(case, bob, title=TITLE, excerpt=EXCERPT)
    second = make_prior_art(case, alice, title=TITLE, excerpt=EXCERPT_ONE_WORD)
    third = make_prior_art(case, alice, title="Different", identifier="US 1,234,567")
    found = list(
        services.find_duplicates(
            case=case, identifier="US1234567", title=TITLE, excerpt=EXCERPT
        )
    )
    assert found == [first, second, third]


def test_queries_do_not_grow_with_the_case(case, case_factory, alice):
    small, large = case, case_factory("open", claims=1)
    make_prior_art(small, alice, title=TITLE, excerpt=EXCERPT)
    for n in range(25):
        make_prior_art(
            large,
            alice,
            title=f"{TITLE} {n}",
            excerpt=EXCERPT_ONE_WORD + f" Variant {n}.",
        )
    counts = {}
    for each in (small, large):
        with CaptureQueriesContext(connection) as captured:
            found = list(
                services.find_duplicates(
                    case=each,
                    identifier="US 7,654,321",
                    title=TITLE,
                    excerpt=EXCERPT,
                    library_document=None,
                )
            )
        assert found
        counts[each.pk] = len(captured.captured_queries)
    assert counts[small.pk] == counts[large.pk] <= 3
