import pytest
from review.views import moderation
from tests.review import test_page_permissions as m
from tests.review.test_page_permissions import _relaxed, world_for  # noqa

def test_mutant_restore_no_check(world_for, monkeypatch):
    monkeypatch.setattr(moderation.submission_perms, "user_can_moderate", lambda u, c: True)
    with pytest.raises(AssertionError) as e:
        m.test_review_pages_matrix("closed", world_for)
    print(str(e.value)[:900])
