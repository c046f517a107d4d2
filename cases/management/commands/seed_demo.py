"""Load demo data: agencies, areas, one account per role, cases in every state, editorial
pages. Idempotent: what exists already (matched by username, slug or reference) is left as
it is. Refuses to run where ``OPENDOCKET_DEMO_ALLOWED`` is off (production)."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases import demo_content, services
from cases.models import Agency, Case, Claim, TechnologyArea
from cms import demo_content as cms_content
from cms.models import HomePage, StandardPage

User = get_user_model()

DEMO_USERS = [
    # username, role description, superuser
    ("admin", "site admin (everything, plus Django admin)", True),
    ("editor-a", "agency editor of agency A", False),
    ("editor-b", "agency editor of agency B", False),
    ("reviewer", "reviewer of agency A's cases", False),
    ("examiner", "examiner of agency A's cases", False),
    ("alice", "contributor", False),
    ("bob", "contributor", False),
]

# Review windows, in days relative to now, by the state a demo case should be in.
WINDOWS = {
    "draft": (20, 80),
    "scheduled": (10, 70),
    "closed": (-90, -10),
}
OPEN_WINDOWS = [(-20, 9), (-10, 30), (-5, 45), (-15, 12), (-3, 60), (-30, 5)]


class Command(BaseCommand):
    help = "Load demo data (idempotent). Development and test settings only."

    def handle(self, *args, **options):
        if not getattr(settings, "OPENDOCKET_DEMO_ALLOWED", False):
            raise CommandError(
                "Demo data is disabled in these settings (OPENDOCKET_DEMO_ALLOWED is off): "
                "it would create accounts with a published password."
            )
        now = timezone.now()
        with transaction.atomic():
            services.roles_ensure_groups()
            users = self._users()
            agencies = self._agencies()
            areas = self._areas()
            services.agency_appoint_editor(agency=agencies[0], user=users["editor-a"])
            services.agency_appoint_editor(agency=agencies[1], user=users["editor-b"])
        created = self._cases(agencies=agencies, areas=areas, users=users, now=now)
        self._pages()
        self._appoint_reviewers(agency=agencies[0], users=users)
        contributions = self._contributions(users=users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({created} new cases, {contributions} new submissions)."
            )
        )
        self.stdout.write(
            f"Demo accounts (password '{settings.OPENDOCKET_DEMO_PASSWORD}', development only):"
        )
        for username, role, _superuser in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {role}")

    def _users(self) -> dict:
        users = {}
        for username, _role, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@demo.opendocket.localhost",
                    "is_superuser": superuser,
                    "is_staff": superuser,
                    "first_name": username.split("-")[0].capitalize(),
                },
            )
            if created:
                user.set_password(settings.OPENDOCKET_DEMO_PASSWORD)
                user.save(update_fields=["password"])
            # Demo accounts have confirmed e-mail addresses, so they can take part at once.
            EmailAddress.objects.get_or_create(
                user=user,
                email=user.email,
                defaults={"verified": True, "primary": True},
            )
            users[username] = user
        return users

    def _agencies(self) -> list[Agency]:
        agencies = []
        for data in demo_content.AGENCIES:
            agency, _ = Agency.objects.get_or_create(
                slug=data["slug"],
                defaults={k: v for k, v in data.items() if k != "slug"},
            )
            agencies.append(agency)
        return agencies

    def _areas(self) -> dict[str, TechnologyArea]:
        areas = {}
        for data in demo_content.AREAS:
            area, _ = TechnologyArea.objects.get_or_create(
                slug=data["slug"],
                defaults={k: v for k, v in data.items() if k != "slug"},
            )
            areas[area.slug] = area
        return areas

    def _cases(self, *, agencies, areas, users, now) -> int:
        by_slug = {agency.slug: agency for agency in agencies}
        editors = {
            agencies[0].slug: users["editor-a"],
            agencies[1].slug: users["editor-b"],
        }
        open_windows = iter(OPEN_WINDOWS * 3)
        created = 0
        for data in demo_content.CASES:
            agency = by_slug[data["agency"]]
            if Case.objects.filter(agency=agency, reference=data["reference"]).exists():
                continue
            state = data["state"]
            opens, closes = next(open_windows) if state == "open" else WINDOWS[state]
            with transaction.atomic():
                case = Case(
                    agency=agency,
                    reference=data["reference"],
                    title=data["title"],
                    abstract=data["abstract"],
                    body=data["body"],
                    language=data.get("language", "en"),
                    priority_date=(
                        now - timedelta(days=data["priority_days_ago"])
                    ).date(),
                    review_opens_at=now + timedelta(days=opens),
                    review_closes_at=now + timedelta(days=closes),
                    live=False,
                )
                case.claims = [
                    Claim(
                        number=c["number"], text=c["text"], depends_on=c["depends_on"]
                    )
                    for c in data["claims"]
                ]
                case.save()
                case.technology_areas.set([areas[slug] for slug in data["areas"]])
                case.save()
                revision = case.save_revision(user=editors[agency.slug])
                if state != "draft":
                    revision.publish(user=editors[agency.slug])
            created += 1
        return created

    def _appoint_reviewers(self, *, agency, users) -> None:
        for case in Case.objects.filter(agency=agency, live=True):
            services.case_appoint_reviewer(case=case, user=users["reviewer"])
            services.case_appoint_examiner(case=case, user=users["examiner"])

    def _pages(self) -> None:
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("No home page: run `manage.py migrate` first.")
        if not home.body:
            home.intro = cms_content.HOME_INTRO
            home.body = cms_content.HOME_BODY
            home.save_revision().publish()
        for data in cms_content.PAGES:
            if StandardPage.objects.filter(slug=data["slug"]).exists():
                continue
            page = StandardPage(
                title=data["title"],
                slug=data["slug"],
                intro=data["intro"],
                body=data["body"],
                show_in_menus=True,
            )
            home.add_child(instance=page)
            page.save_revision().publish()

    def _contributions(self, *, users) -> int:
        """Submissions, comments and ratings on open cases, through the same services as
        the site; skipped when the case already has contributions."""
        from review.services import prior_art_vet
        from submissions import demo_content as sub_content
        from submissions import services as sub_services
        from submissions.models import Comment, PriorArt

        created = 0
        by_title = {}
        for item in sub_content.PRIOR_ART:
            case = Case.objects.filter(reference=item["case"], status="open").first()
            if case is None:
                continue
            existing = PriorArt.objects.filter(case=case, title=item["title"]).first()
            if existing:
                by_title[item["title"]] = existing
                continue
            data = {k: item[k] for k in sub_services.PRIOR_ART_FIELDS}
            data["published_on"] = _parse_demo_date(item["published_on"])
            prior_art = sub_services.prior_art_submit(
                case=case,
                author=users[item["author"]],
                data=data,
                mappings=[
                    sub_services.MappingInput(number, text)
                    for number, text in item["mappings"].items()
                ],
            )
            if item["vet"]:
                prior_art = prior_art_vet(prior_art=prior_art, actor=users["reviewer"])
            by_title[item["title"]] = prior_art
            created += 1
        for item in sub_content.COMMENTS:
            case = Case.objects.filter(reference=item["case"], status="open").first()
            if (
                case is None
                or Comment.objects.filter(case=case, body=item["body"]).exists()
            ):
                continue
            claim = case.claims.get(number=item["claim"]) if item["claim"] else None
            root = sub_services.comment_post(
                case=case, author=users[item["author"]], body=item["body"], claim=claim
            )
            for reply in item["replies"]:
                sub_services.comment_post(
                    case=case,
                    author=users[reply["author"]],
                    body=reply["body"],
                    parent=root,
                )
        for rater, title, rating in sub_content.RATINGS:
            if title in by_title and by_title[title].is_public:
                sub_services.vote_set(
                    prior_art=by_title[title], voter=users[rater], rating=rating
                )
        return created


def _parse_demo_date(value: str):
    from datetime import date

    parts = [int(p) for p in value.split("-")]
    return date(
        parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
    )
