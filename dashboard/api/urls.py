from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.DashboardApi.as_view(), name="dashboard"),
    path("dashboard/trend/", views.DashboardTrendApi.as_view(), name="dashboard-trend"),
    path(
        "dashboard/rollup/", views.DashboardRollupApi.as_view(), name="dashboard-rollup"
    ),
    path(
        "dashboard/export.xlsx",
        views.DashboardExportApi.as_view(),
        name="dashboard-export",
    ),
    path(
        "dashboard/review.docx",
        views.DashboardReviewApi.as_view(),
        name="dashboard-review",
    ),
    path(
        "dashboard/assessment/",
        views.DashboardAssessmentApi.as_view(),
        name="dashboard-assessment",
    ),
    path(
        "dashboard/assessment.xlsx",
        views.DashboardAssessmentExportApi.as_view(),
        name="dashboard-assessment-export",
    ),
    path(
        "assessment-formulas/",
        views.AssessmentFormulaListApi.as_view(),
        name="assessment-formula-list",
    ),
    path(
        "assessment-formulas/rules/",
        views.AssessmentRulesApi.as_view(),
        name="assessment-rules",
    ),
    path(
        "assessment-formulas/<int:pk>/",
        views.AssessmentFormulaDetailApi.as_view(),
        name="assessment-formula-detail",
    ),
]
