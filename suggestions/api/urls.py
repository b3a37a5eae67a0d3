from django.urls import path

from . import intake, paper, reference
from . import views as v

urlpatterns = [
    path("categories/", reference.CategoryListApi.as_view(), name="category-list"),
    path(
        "categories/<int:pk>/",
        reference.CategoryDetailApi.as_view(),
        name="category-detail",
    ),
    path("deputies/", reference.DeputyListApi.as_view(), name="deputy-list"),
    path(
        "deputies/<int:pk>/", reference.DeputyDetailApi.as_view(), name="deputy-detail"
    ),
    path("sessions/<int:pk>/seal/", v.SessionSealApi.as_view(), name="session-seal"),
    path(
        "sessions/<int:pk>/reopen/",
        v.SessionReopenApi.as_view(),
        name="session-reopen",
    ),
    path("suggestions/", v.SuggestionListApi.as_view(), name="suggestion-list"),
    path(
        "suggestions/similar/",
        intake.SimilarToTextApi.as_view(),
        name="suggestion-similar-to-text",
    ),
    path(
        "suggestions/<int:pk>/similar/",
        intake.SimilarToSuggestionApi.as_view(),
        name="suggestion-similar",
    ),
    path(
        "suggestions/<int:pk>/recommendation/",
        intake.RecommendationApi.as_view(),
        name="suggestion-recommendation",
    ),
    path(
        "suggestions/export.xlsx",
        v.SuggestionExportApi.as_view(),
        name="suggestion-export",
    ),
    path(
        "suggestions/<int:pk>/",
        v.SuggestionDetailApi.as_view(),
        name="suggestion-detail",
    ),
    *[
        path(
            f"suggestions/<int:pk>/{action}/",
            view.as_view(),
            name=f"suggestion-{action}",
        )
        for action, view in [
            ("submit", v.SuggestionSubmitApi),
            ("withdraw", v.SuggestionWithdrawApi),
            ("cosign", v.SuggestionCosignApi),
            ("decline", v.SuggestionDeclineApi),
            ("urge", v.SuggestionUrgeApi),
            ("supervision-opinion", v.SuggestionSupervisionOpinionApi),
            ("leaders", v.SuggestionLeadersApi),
            ("supervision", v.SuggestionSupervisionApi),
            ("register", v.SuggestionRegisterApi),
            ("reject", v.SuggestionRejectApi),
            ("merge", v.SuggestionMergeApi),
            ("assign", v.SuggestionAssignApi),
            ("evaluate", v.SuggestionEvaluateApi),
            ("publish", v.SuggestionPublishApi),
        ]
    ],
    path(
        "suggestions/<int:pk>/evaluation-form.docx",
        paper.SuggestionEvaluationFormApi.as_view(),
        name="suggestion-evaluation-form",
    ),
    path(
        "units/<int:pk>/assignment-letter.docx",
        paper.UnitAssignmentLetterApi.as_view(),
        name="unit-assignment-letter",
    ),
    path("replies/<int:pk>/letter/", v.ReplyLetterApi.as_view(), name="reply-letter"),
    path(
        "units/<int:pk>/summary.xlsx",
        v.UnitSummaryApi.as_view(),
        name="unit-summary",
    ),
    path(
        "suggestions/<int:pk>/original/",
        v.SuggestionOriginalApi.as_view(),
        name="suggestion-original",
    ),
    path(
        "evaluation-meetings/",
        v.EvaluationMeetingListApi.as_view(),
        name="evaluation-meeting-list",
    ),
    path(
        "evaluation-meetings/<int:pk>/",
        v.EvaluationMeetingDetailApi.as_view(),
        name="evaluation-meeting-detail",
    ),
    path(
        "evaluation-meetings/<int:pk>/ratings/",
        v.EvaluationMeetingRatingApi.as_view(),
        name="evaluation-meeting-ratings",
    ),
    path(
        "evaluations/<int:pk>/form-scan/",
        v.EvaluationFormScanApi.as_view(),
        name="evaluation-form-scan",
    ),
    path("assignments/", v.AssignmentListApi.as_view(), name="assignment-list"),
    path(
        "assignments/<int:pk>/",
        v.AssignmentDetailApi.as_view(),
        name="assignment-detail",
    ),
    path(
        "assignments/<int:pk>/reply-letter.docx",
        v.AssignmentReplyLetterApi.as_view(),
        name="assignment-reply-letter",
    ),
    *[
        path(
            f"assignments/<int:pk>/{action}/",
            view.as_view(),
            name=f"assignment-{action}",
        )
        for action, view in [
            ("acknowledge", v.AssignmentAcknowledgeApi),
            ("request-reassignment", v.AssignmentRequestReassignmentApi),
            ("request-extension", v.AssignmentRequestExtensionApi),
            ("contact", v.AssignmentContactApi),
            ("plan", v.AssignmentPlanApi),
            ("progress", v.AssignmentProgressApi),
            ("reply", v.AssignmentReplyApi),
            ("fulfil", v.AssignmentFulfilApi),
        ]
    ],
    path("promises/", v.PromiseListApi.as_view(), name="promise-list"),
    path("promises/<int:pk>/", v.PromiseDetailApi.as_view(), name="promise-detail"),
    path(
        "promises/<int:pk>/report/",
        v.PromiseReportApi.as_view(),
        name="promise-report",
    ),
    path(
        "adjustment-requests/",
        v.AdjustmentRequestListApi.as_view(),
        name="adjustment-request-list",
    ),
    path(
        "adjustment-requests/<int:pk>/",
        v.AdjustmentRequestDetailApi.as_view(),
        name="adjustment-request-detail",
    ),
    path(
        "adjustment-requests/<int:pk>/approve/",
        v.AdjustmentApproveApi.as_view(),
        name="adjustment-request-approve",
    ),
    path(
        "adjustment-requests/<int:pk>/deny/",
        v.AdjustmentDenyApi.as_view(),
        name="adjustment-request-deny",
    ),
]
