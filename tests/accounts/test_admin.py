"""Django admin: operators can look at follows and notifications, not change them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Notification
from accounts.services import follow_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(alice, open_case):
    follow_set(user=alice, case=open_case, follow=True)
    return Notification.objects.create(
        recipient=alice, key="test:1", subject="New evidence", body="Body"
    )


@pytest.mark.parametrize("model", ["follow", "notification"])
def test_operators_can_list_and_view_but_not_add_change_or_delete(
    client, admin_user, records, model
):
    client.force_login(admin_user)
    changelist = reverse(f"admin:accounts_{model}_changelist")

    response = client.get(changelist)
    assert response.status_code == 200
    obj = response.context["cl"].result_list[0]
    detail = client.get(reverse(f"admin:accounts_{model}_change", args=[obj.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse(f"admin:accounts_{model}_add")).status_code == 403
    delete = reverse(f"admin:accounts_{model}_delete", args=[obj.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_non_staff_cannot_reach_the_admin(client, alice, records):
    client.force_login(alice)
    response = client.get(reverse("admin:accounts_notification_changelist"))
    assert response.status_code == 302
