from django.urls import path

from . import views

app_name = "submissions"
urlpatterns = [
    path("cases/<int:pk>/submit/", views.submit, name="submit"),
    path("cases/<int:pk>/comments/", views.comment_post, name="comment_post"),
    path("evidence/<str:ref>/", views.detail, name="detail"),
    path("evidence/<str:ref>/edit/", views.edit, name="edit"),
    path("evidence/<str:ref>/withdraw/", views.withdraw, name="withdraw"),
    path("evidence/<str:ref>/rate/", views.rate, name="rate"),
    path("evidence/<str:ref>/flag/", views.flag, name="flag"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/flag/", views.comment_flag, name="comment_flag"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
]
