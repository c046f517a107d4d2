"""Load demo data: agencies, areas, one account per role, cases in every state, editorial
pages, contributions, and work for the reviewer and the examiner. Idempotent: what exists
already (matched by username, slug, reference or title) is left as it is, and a database
already seeded is recognised in a few queries (``make run`` seeds at every start). Refuses
to run where ``OPENDOCKET_DEMO_ALLOWED`` is off (production).

Everything goes through the services the site uses: submissions, ratings and reports
(``submissions.services``), screening and forwarding (``review.services``), appointments
and the lifecycle (``cases.services``, Wagtail publishing)."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases import demo_content, services
from cases.models import Agency, Case, CaseStatus, Claim, TechnologyArea
from cms import demo_content as cms_content
from cms.models import HomePage, StandardPage

User = get_user_model()

DEMO_USERS = [
    # username, role description, superuser
    ("admin", "site admin (everything, plus Django admin)", True),
    ("editor-a", "agency editor of agency A", False),
    ("editor-b", "agency editor of agency B", False),
    ("reviewer", "reviewer of agency A's cases; submissions wait at /review/", False),
    ("examiner", "examiner of agency A's cases; a dossier waits at /examiner/", False),
    ("alice", "contributor", False),
    ("bob", "contributor", False),
    ("carol", "new contributor (her submissions wait for screening)", False),
]

# Review windows, in days relative to now, by the state a demo case should be in. A
# "forwarded" case is created open, takes its evidence, and is closed by this command.
WINDOWS = {
    "draft": (20, 80),
    "scheduled": (10, 70),
    "closed": (-90, -10),
    "forwarded": (-45, 15),
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
        if self._seeded():
            self.stdout.write(self.style.SUCCESS("Demo data already loaded."))
            self._library(refresh_stats=False)
            self._accounts()
            return
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
        # Last: its dossier is what ``_seeded`` looks for.
        forwarded = self._forwarded_cases(agencies=agencies, areas=areas, users=users)
        self._library(refresh_stats=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({created + forwarded} new cases, {contributions} new "
                "submissions on open cases)."
            )
        )
        self._accounts()

    def _seeded(self) -> bool:
        """Whether an earlier run completed and nothing it would add is missing: every
        demo account and case, the dossier of each forwarded case (created last), and
        the demo submissions of the cases still open. Four queries."""
        from review.models import Dossier
        from submissions import demo_content as sub_content
        from submissions.models import PriorArt

        names = [username for username, _role, _superuser in DEMO_USERS]
        if User.objects.filter(username__in=names).count() != len(names):
            return False
        refs = {data["reference"] for data in demo_content.CASES}
        status = dict(
            Case.objects.filter(reference__in=refs).values_list("reference", "status")
        )
        if set(status) != refs:
            return False
        forwarded = {
            data["reference"]
            for data in demo_content.CASES
            if data["state"] == "forwarded"
        }
        if Dossier.objects.filter(case__reference__in=forwarded).count() < len(
            forwarded
        ):
            return False
        wanted = {
            (item["case"], item["title"])
            for item in sub_content.PRIOR_ART
            if status.get(item["case"]) == CaseStatus.OPEN
        }
        found = set(
            PriorArt.objects.filter(
                case__reference__in={ref for ref, _title in wanted},
                title__in={title for _ref, title in wanted},
            ).values_list("case__reference", "title")
        )
        return wanted <= found

    def _library(self, *, refresh_stats: bool) -> None:
        """The demo library of prior art (``search/demo_library.jsonl``), skipped in one
        query when it is all there; then the search statistics, when anything new was
        loaded (or ``refresh_stats``, after a full run)."""
        from search import stats
        from search.demo_library import load_demo_library

        report = load_demo_library()
        if report is not None and report.error_count:
            raise CommandError(f"Demo library: bad lines {report.errors[:3]}")
        if refresh_stats or (report is not None and report.changed):
            stats.refresh()

    def _accounts(self) -> None:
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
        open_windows = iter(OPEN_WINDOWS * 3)
        created = 0
        for data in demo_content.CASES:
            agency = by_slug[data["agency"]]
            if data["state"] == "forwarded":
                continue  # built, with its evidence, by ``_forwarded_cases``
            if Case.objects.filter(agency=agency, reference=data["reference"]).exists():
                continue
            state = data["state"]
            opens, closes = next(open_windows) if state == "open" else WINDOWS[state]
            with transaction.atomic():
                self._create_case(
                    data,
                    agency=agency,
                    areas=areas,
                    editor=self._editor(agencies, users, agency),
                    opens_at=now + timedelta(days=opens),
                    closes_at=now + timedelta(days=closes),
                    now=now,
                    publish=state != "draft",
                )
            created += 1
        return created

    @staticmethod
    def _editor(agencies, users, agency):
        return users["editor-a"] if agency == agencies[0] else users["editor-b"]

    @staticmethod
    def _create_case(
        data, *, agency, areas, editor, opens_at, closes_at, now, publish
    ) -> Case:
        """A case saved and (unless a draft) published by its agency's editor, as in
        the admin: publishing sets its status from the window."""
        case = Case(
            agency=agency,
            reference=data["reference"],
            title=data["title"],
            abstract=data["abstract"],
            body=data["body"],
            language=data.get("language", "en"),
            priority_date=(now - timedelta(days=data["priority_days_ago"])).date(),
            review_opens_at=opens_at,
            review_closes_at=closes_at,
            live=False,
        )
        case.claims = [
            Claim(number=c["number"], text=c["text"], depends_on=c["depends_on"])
            for c in data["claims"]
        ]
        case.save()
        case.technology_areas.set([areas[slug] for slug in data["areas"]])
        case.save()
        revision = case.save_revision(user=editor)
        if publish:
            revision.publish(user=editor)
        case.refresh_from_db()
        return case

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
        """Submissions, comments, ratings and reports on open cases, through the same
        services as the site; what exists already (by case and title) is skipped."""
        from submissions import demo_content as sub_content
        from submissions import services as sub_services
        from submissions.models import Comment, Flag, PriorArt, Vote

        refs = {item["case"] for item in sub_content.PRIOR_ART + sub_content.COMMENTS}
        cases = {
            case.reference: case
            for case in Case.objects.filter(reference__in=refs, status=CaseStatus.OPEN)
        }
        created = 0
        by_title = {
            prior_art.title: prior_art
            for prior_art in PriorArt.objects.filter(case__in=cases.values())
        }
        for item in sub_content.PRIOR_ART:
            case = cases.get(item["case"])
            if case is None or item["title"] in by_title:
                continue
            by_title[item["title"]] = _submit(case, item, users)
            created += 1
        for item in sub_content.COMMENTS:
            case = cases.get(item["case"])
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
        rated = set(
            Vote.objects.filter(prior_art__in=by_title.values()).values_list(
                "voter_id", "prior_art_id"
            )
        )
        for rater, title, rating in sub_content.RATINGS:
            prior_art = by_title.get(title)
            if (
                prior_art is not None
                and prior_art.is_public
                and (users[rater].pk, prior_art.pk) not in rated
            ):
                sub_services.vote_set(
                    prior_art=prior_art, voter=users[rater], rating=rating
                )
        for reporter, title, reason, details in sub_content.FLAGS:
            prior_art = by_title.get(title)
            if (
                prior_art is not None
                and prior_art.is_public
                and not Flag.objects.filter(
                    reporter=users[reporter], prior_art=prior_art
                ).exists()
            ):
                sub_services.flag_create(
                    reporter=users[reporter],
                    prior_art=prior_art,
                    reason=reason,
                    details=details,
                )
        return created

    def _forwarded_cases(self, *, agencies, areas, users) -> int:
        """Cases that reach the examiner in the demo: each is created open, given its
        evidence (submitted, vetted, rated by contributors and by the reviewer), closed
        by moving its window into the past, and forwarded by the demo reviewer. All in
        one transaction per case, so an interrupted run leaves nothing half-done."""
        from review.models import ForwardTrigger
        from review.services import case_forward, reviewer_rating_set
        from submissions import demo_content as sub_content
        from submissions import services as sub_services

        by_slug = {agency.slug: agency for agency in agencies}
        created = 0
        for data in demo_content.CASES:
            agency = by_slug[data["agency"]]
            if data["state"] != "forwarded" or (
                Case.objects.filter(agency=agency, reference=data["reference"]).exists()
            ):
                continue
            editor = self._editor(agencies, users, agency)
            now = timezone.now()
            opens, closes = WINDOWS["forwarded"]
            with transaction.atomic():
                case = self._create_case(
                    data,
                    agency=agency,
                    areas=areas,
                    editor=editor,
                    opens_at=now + timedelta(days=opens),
                    closes_at=now + timedelta(days=closes),
                    now=now,
                    publish=True,
                )
                services.case_appoint_reviewer(case=case, user=users["reviewer"])
                services.case_appoint_examiner(case=case, user=users["examiner"])
                items = {
                    item["title"]: _submit(case, item, users)
                    for item in sub_content.PRIOR_ART
                    if item["case"] == case.reference
                }
                for rater, title, rating in sub_content.RATINGS:
                    if title in items:
                        sub_services.vote_set(
                            prior_art=items[title], voter=users[rater], rating=rating
                        )
                for title, rating, note in sub_content.REVIEWER_RATINGS:
                    if title in items:
                        reviewer_rating_set(
                            prior_art=items[title],
                            reviewer=users["reviewer"],
                            rating=rating,
                            note=note,
                        )
                self._close(case, editor=editor)
                case_forward(
                    case_id=case.pk,
                    actor=users["reviewer"],
                    trigger=ForwardTrigger.REVIEWER,
                )
            created += 1
        return created

    @staticmethod
    def _close(case: Case, *, editor) -> None:
        """Close the review now: the editor publishes the window's new end, as in the
        admin (so the case's revisions agree with it), and the lifecycle service moves
        the case on, as the periodic task would."""
        case.review_closes_at = timezone.now()
        case.save_revision(user=editor).publish(user=editor)
        services.case_advance(case_id=case.pk)
        case.refresh_from_db()
        if case.status != CaseStatus.CLOSED:
            raise CommandError(f"Demo case {case.reference} did not close.")


def _submit(case: Case, item: dict, users: dict):
    """Submit one demo item through the site's service; vet it if the demo says so."""
    from review.services import prior_art_vet
    from submissions import services as sub_services

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
    return prior_art


def _parse_demo_date(value: str):
    from datetime import date

    parts = [int(p) for p in value.split("-")]
    return date(
        parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
    )
