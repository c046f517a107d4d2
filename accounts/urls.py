from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("account/", views.profile_me, name="profile_me"),
    path("account/export/", views.export, name="export"),
    path("account/delete/", views.delete, name="delete"),
    path("people/<str:handle>/", views.profile, name="profile"),
    path("follow/case/<int:pk>/", views.follow_case, name="follow_case"),
    path("follow/area/<slug:slug>/", views.follow_area, name="follow_area"),
]
