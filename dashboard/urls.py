from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("export.xlsx", views.dashboard_xlsx, name="export"),
    path("units/", views.units, name="units"),
    path("units.xlsx", views.units_xlsx, name="units-export"),
    path("assessment/", views.assessment_page, name="assessment"),
    path("assessment.xlsx", views.assessment_xlsx, name="assessment-export"),
    path("review/", views.review_page, name="review"),
    path("repeats/", views.repeats_page, name="repeats"),
    path("review.docx", views.review_docx, name="review-docx"),
    path("rollup/", views.rollup_page, name="rollup"),
    path("sessions/<int:pk>/seal/", views.session_seal, name="session-seal"),
    path("sessions/<int:pk>/reopen/", views.session_reopen, name="session-reopen"),
]
