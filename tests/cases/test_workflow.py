"""Approval workflow for cases, scoped to the case's agency."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import TaskState, Workflow, WorkflowContentType, WorkflowTask

from cases.models import AgencyApprovalTask, Case
from cases.permissions import ROLE_GROUPS

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_workflow(db):
    task = AgencyApprovalTask.objects.create(name="Agency approval")
    task.groups.set([Group.objects.get(name=ROLE_GROUPS["editor"])])
    workflow = Workflow.objects.create(name="Case approval")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.create(
        workflow=workflow, content_type=ContentType.objects.get_for_model(Case)
    )
    return workflow


def test_only_editors_of_the_cases_agency_can_moderate_it(
    client, agency_workflow, editor_a, editor_b, agency_b, case_factory
):
    case_a = case_factory("draft", title="Agency A case awaiting approval")
    case_b = case_factory(
        "draft", agency=agency_b, title="Agency B case awaiting approval"
    )
    agency_workflow.start(case_a, editor_a)
    agency_workflow.start(case_b, editor_b)

    def reviewable(user):
        return {
            state.workflow_state.content_object.title
            for state in TaskState.objects.reviewable_by(user)
        }

    assert reviewable(editor_a) == {"Agency A case awaiting approval"}
    assert reviewable(editor_b) == {"Agency B case awaiting approval"}

    task = AgencyApprovalTask.objects.get()
    assert [a[0] for a in task.get_actions(case_a, editor_a)] == [
        "reject",
        "approve",
        "approve",
    ]
    assert task.get_actions(case_a, editor_b) == []
    assert task.locked_for_user(case_a, editor_b)
    assert not task.locked_for_user(case_a, editor_a)

    client.force_login(editor_b)
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 200
    assert "Agency A case awaiting approval" not in dashboard.text


def test_approving_publishes_the_case_and_moves_it_into_its_window(
    agency_workflow, editor_a, case_factory
):
    case = case_factory("draft")
    workflow_state = agency_workflow.start(case, editor_a)
    task_state = workflow_state.current_task_state.specific
    task_state.approve(user=editor_a)
    case.refresh_from_db()
    assert case.live
    assert case.status == "scheduled"
