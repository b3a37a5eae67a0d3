from django.urls import path

from . import views

urlpatterns = [
    path("imports/", views.ImportApi.as_view(), name="imports"),
    path(
        "imports/templates/<str:kind>.xlsx",
        views.ImportTemplateApi.as_view(),
        name="imports-template",
    ),
]
