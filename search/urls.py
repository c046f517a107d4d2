from django.urls import path

from .views import library, opendata
from .views import search as search_views

app_name = "search"

urlpatterns = [
    path("search/", search_views.search_page, name="search"),
    path("library/<int:pk>/", library.library_detail, name="library_detail"),
    path("open-data/", opendata.open_data_page, name="open_data"),
    path("open-data/<str:name>", opendata.open_data_file, name="open_data_file"),
]
