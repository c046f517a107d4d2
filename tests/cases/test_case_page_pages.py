"""The case page in pages: evidence twenty at a time, the discussion twenty threads at a
time with every reply of each, links that keep the other list's page, and a comment's
own address that opens the page holding it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cases import views
from submissions import selectors
from submissions import services as submission_services
from tests.submissions.factories import make_prior_art, verified_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return [verified_user("pager-a"), verified_user("pager-b")]


def page(client, case, **params):
    response = client.get(reverse("cases:detail", args=[case.pk]), params)
    assert response.status_code == 200
    return response


def thread(case, author, body, replies=0):
    root = submission_services.comment_post(case=case, author=author, body=body)
    parent = root
    for n in range(replies):
        parent = submission_services.comment_post(
            case=case, author=author, body=f"{body}, reply {n}", parent=parent
        )
    return root


def thread_on_held_evidence(case, author):
    """A submission held for screening, a comment on it and a reply; the comment."""
    held = make_prior_art(case, author, title="Held", public=False)
    on_held = submission_services.comment_post(
        case=case, author=author, body="On the held item", prior_art=held
    )
    submission_services.comment_post(
        case=case, author=author, body="A reply to it", parent=on_held
    )
    return on_held


def evidence_titles(response) -> list[str]:
    return [item.title for item in response.context["prior_art"]]


def test_evidence_comes_twenty_at_a_time_oldest_first(client, case_factory, people):
    case = case_factory("open")
    for n in range(views.EVIDENCE_PER_PAGE + 3):
        make_prior_art(case, people[n % 2], title=f"Evidence {n:02d}")
    first = page(client, case)
    assert evidence_titles(first) == [
        f"Evidence {n:02d}" for n in range(views.EVIDENCE_PER_PAGE)
    ]
    assert 'Evidence submitted <span class="count">(23)</span>' in first.text
    assert '?evidence=2#evidence"' in first.text
    second = page(client, case, evidence=2)
    assert evidence_titles(second) == ["Evidence 20", "Evidence 21", "Evidence 22"]
    assert '<ol class="evidence-list" start="21">' in second.text
    # Out of range: the last page, not an error.
    assert evidence_titles(page(client, case, evidence=99)) == evidence_titles(second)


def test_the_discussion_pages_by_whole_threads(
    client, case_factory, people, monkeypatch
):
    monkeypatch.setattr(selectors, "THREADS_PER_PAGE", 2)
    case = case_factory("open")
    first = thread(case, people[0], "First thread", replies=3)
    thread(case, people[1], "Second thread")
    third = thread(case, people[0], "Third thread", replies=1)
    response = page(client, case)
    bodies = [c.body for c in response.context["comments"]]
    assert bodies == [
        "First thread",
        "First thread, reply 0",
        "First thread, reply 1",
        "First thread, reply 2",
        "Second thread",
    ]
    assert [c.depth for c in response.context["comments"]][:4] == [0, 1, 2, 3]
    assert response.context["discussion"].count == 7
    second = page(client, case, discussion=2)
    assert [c.body for c in second.context["comments"]] == [
        "Third thread",
        "Third thread, reply 0",
    ]
    # The address of a reply in the first thread opens the first page; of the third,
    # the second.
    reply = first.replies.get()
    assert (
        page(client, case, comment=reply.pk, discussion=2)
        .context["discussion"]
        .page.number
        == 1
    )
    assert page(client, case, comment=third.pk).context["discussion"].page.number == 2
    assert third.get_absolute_url() == (
        f"{reverse('cases:detail', args=[case.pk])}"
        f"?comment={third.pk}#comment-{third.pk}"
    )


def test_page_links_keep_the_other_lists_page(client, case_factory, people):
    case = case_factory("open")
    for n in range(views.EVIDENCE_PER_PAGE + 1):
        make_prior_art(case, people[0], title=f"Evidence {n}")
    for n in range(selectors.THREADS_PER_PAGE + 1):
        thread(case, people[1], f"Thread {n}")
    html = page(client, case, evidence=2, comment="999999").text
    links = set(re.findall(r'href="(\?[^"#]*)#', html))
    assert links == {"?evidence=1", "?evidence=2&amp;discussion=2"}


def test_comments_on_evidence_the_user_cannot_see_are_left_out_with_their_replies(
    client, case_factory, people
):
    case = case_factory("open")
    thread_on_held_evidence(case, people[0])
    thread(case, people[1], "In the open")
    public = page(client, case)
    assert [c.body for c in public.context["comments"]] == ["In the open"]
    assert public.context["discussion"].count == 1


def test_the_author_and_the_case_staff_see_the_threads_on_held_evidence(
    client, case_factory, people, editor_a
):
    """The counts are the case's comments less those on evidence the viewer cannot
    see: for the public that leaves out the held item's thread, for its author and
    for the case's editor it does not."""
    case = case_factory("open")
    on_held = thread_on_held_evidence(case, people[0])
    thread(case, people[1], "In the open", replies=1)

    def seen(user, **params):
        client.logout()
        if user is not None:
            client.force_login(user)
        discussion = page(client, case, **params).context["discussion"]
        return [c.body for c in discussion.comments], discussion.count, discussion.page

    bodies, count, first = seen(None)
    assert (bodies, count, first.paginator.count) == (
        ["In the open", "In the open, reply 0"],
        2,
        1,
    )
    everything = [
        "On the held item",
        "A reply to it",
        "In the open",
        "In the open, reply 0",
    ]
    for user in (people[0], editor_a):
        bodies, count, first = seen(user)
        assert (bodies, count, first.paginator.count) == (everything, 4, 2), user
    assert seen(people[1])[1] == 2  # another contributor: the public's view
    # A link to a comment the viewer cannot reach opens the page asked for.
    assert seen(None, comment=on_held.pk)[2].number == 1
