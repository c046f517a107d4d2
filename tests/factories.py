"""factory_boy factories and helpers that build cases the way editors do: through Wagtail
revisions and publishing, so the lifecycle hooks run as in production."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import Agency, Case, Claim, TechnologyArea

PASSWORD = "correct-horse-battery"

# Review window (days from now) that puts a published case in each state.
WINDOWS = {
    "draft": (5, 30),
    "scheduled": (5, 30),
    "open": (-5, 30),
    "closed": (-30, -5),
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")


class TechnologyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnologyArea
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")


def make_case(
    *,
    agency: Agency | None = None,
    state: str = "open",
    claims: int = 3,
    reference: str | None = None,
    title: str = "Thermoelectric charger using engine exhaust heat",
    areas: list[TechnologyArea] | tuple = (),
    user=None,
) -> Case:
    """A case in ``state`` (draft, scheduled, open or closed), published through Wagtail
    unless it is a draft. Claim 1 is independent, the others depend on the one before."""
    agency = agency or AgencyFactory()
    now = timezone.now()
    opens, closes = WINDOWS[state]
    case = Case(
        agency=agency,
        reference=reference
        or f"REF-{Case.objects.count() + 1:05d}-{now.timestamp():.0f}",
        title=title,
        abstract="A charger that converts waste heat from an engine into battery charge.",
        priority_date=(now - timedelta(days=400)).date(),
        review_opens_at=now + timedelta(days=opens),
        review_closes_at=now + timedelta(days=closes),
        live=False,
    )
    case.claims = [
        Claim(
            number=n,
            text=f"Claim {n} text: a thermoelectric module coupled to the exhaust.",
            depends_on=None if n == 1 else n - 1,
        )
        for n in range(1, claims + 1)
    ]
    case.save()
    if areas:
        case.technology_areas.set(areas)
        case.save()
    revision = case.save_revision(user=user)
    if state != "draft":
        revision.publish(user=user)
    case.refresh_from_db()
    assert case.status == state, (case.status, state)
    return case
