"""Review pages: the reviewers' screening queue and ranking board, the examiners' inbox
and claim charts, and the public pages that close the loop (outcomes, statistics)."""

from django.urls import path

from .views import examination, moderation, public, ranking, screening, stats

app_name = "review"

urlpatterns = [
    # Reviewers (review/views/screening.py, moderation.py, ranking.py)
    path("review/", screening.queue, name="queue"),
    path("review/bulk/", screening.bulk, name="bulk"),
    path("review/evidence/<str:ref>/", screening.item, name="item"),
    path("review/evidence/<str:ref>/decide/", screening.decide, name="decide"),
    path("review/evidence/<str:ref>/rate/", screening.rate, name="rate"),
    path("review/reports/", moderation.reports, name="reports"),
    path("review/reports/resolve/", moderation.resolve_reports, name="resolve_reports"),
    path(
        "review/comments/<int:pk>/restore/",
        moderation.restore_comment,
        name="restore_comment",
    ),
    path("review/cases/<int:pk>/ranking/", ranking.ranking, name="ranking"),
    path("review/cases/<int:pk>/forward/", ranking.forward, name="forward"),
    # Examiners (review/views/examination.py)
    path("examiner/", examination.inbox, name="inbox"),
    path("examiner/dossiers/<int:pk>/", examination.dossier, name="dossier"),
    path(
        "examiner/items/<int:pk>/decision/",
        examination.decide,
        name="decide_item",
    ),
    path(
        "examiner/dossiers/<int:pk>/claim-chart/",
        examination.claim_chart,
        name="claim_chart",
    ),
    path(
        "examiner/dossiers/<int:pk>/claim-chart.csv",
        examination.claim_chart_csv,
        name="claim_chart_csv",
    ),
    path(
        "examiner/dossiers/<int:pk>/claim-chart.pdf",
        examination.claim_chart_pdf,
        name="claim_chart_pdf",
    ),
    # Everyone (review/views/public.py, review/views/stats.py)
    path("contributors/used/", public.used_contributors, name="used_contributors"),
    path("statistics/", stats.site, name="stats"),
    path("statistics/statistics.csv", stats.site_csv, name="stats_csv"),
    path("statistics/cases/<int:pk>/", stats.case, name="case_stats"),
    path(
        "statistics/cases/<int:pk>/statistics.csv",
        stats.case_csv,
        name="case_stats_csv",
    ),
]
