from django.urls import path

from .views import (
    common,
    deputy,
    evaluation,
    paper,
    promises,
    staff,
    supervision,
    unit,
)

app_name = "suggestions"

urlpatterns = [
    path("workbench/", common.workbench, name="workbench"),
    path("suggestions/", common.SuggestionListView.as_view(), name="list"),
    path(
        "suggestions/export.xlsx", common.SuggestionExportView.as_view(), name="export"
    ),
    path(
        "suggestions/mine/", common.MySuggestionsView.as_view(), name="my-suggestions"
    ),
    path("suggestions/review/", common.ReviewQueueView.as_view(), name="review-queue"),
    path(
        "suggestions/review/bulk/", staff.BulkReviewView.as_view(), name="review-bulk"
    ),
    path("suggestions/overdue/", common.OverdueView.as_view(), name="overdue"),
    path("promises/", promises.PromiseLedgerView.as_view(), name="promises"),
    path(
        "promises/export.xlsx",
        promises.PromiseExportView.as_view(),
        name="promise-export",
    ),
    path(
        "promises/<int:pk>/report/",
        promises.PromiseReportView.as_view(),
        name="promise-report",
    ),
    path("suggestions/key/", common.KeySupervisedView.as_view(), name="key-supervised"),
    path("suggestions/<int:pk>/", common.suggestion_detail, name="detail"),
    path(
        "suggestions/<int:pk>/evaluation-form.docx",
        paper.suggestion_evaluation_form,
        name="evaluation-form",
    ),
    # The public's pages: the platform's home, then each congress body's replies.
    path("public/", common.public_home, name="public-home"),
    path(
        "public/bodies/<int:body_id>/",
        common.PublicListView.as_view(),
        name="public-list",
    ),
    path(
        "public/bodies/<int:body_id>/<int:pk>/",
        common.public_detail,
        name="public-detail",
    ),
    # Before the pages were per body (links printed and shared): redirects.
    path("public/<int:pk>/", common.public_detail_moved, name="public-detail-moved"),
    path("replies/<int:pk>/letter/", common.reply_letter, name="reply-letter"),
    path(
        "suggestions/<int:pk>/original/",
        common.suggestion_original,
        name="original",
    ),
    path("suggestions/new/", deputy.SuggestionCreateView.as_view(), name="create"),
    path(
        "suggestions/enter/",
        staff.EnterOnBehalfView.as_view(),
        name="enter-on-behalf",
    ),
    path(
        "suggestions/<int:pk>/edit/", deputy.SuggestionEditView.as_view(), name="edit"
    ),
    path("suggestions/<int:pk>/submit/", deputy.SubmitView.as_view(), name="submit"),
    path(
        "suggestions/<int:pk>/withdraw/", deputy.WithdrawView.as_view(), name="withdraw"
    ),
    path("suggestions/<int:pk>/cosign/", deputy.CosignView.as_view(), name="cosign"),
    path(
        "suggestions/<int:pk>/evaluate/", deputy.EvaluateView.as_view(), name="evaluate"
    ),
    path("suggestions/<int:pk>/decline/", deputy.DeclineView.as_view(), name="decline"),
    path("suggestions/invitations/", deputy.invitations, name="invitations"),
    path(
        "suggestions/similar-drafts/",
        deputy.similar_panel,
        name="similar-drafts",
    ),
    path("suggestions/<int:pk>/urge/", supervision.UrgeView.as_view(), name="urge"),
    path(
        "suggestions/<int:pk>/supervision/",
        supervision.SupervisionActivityView.as_view(),
        name="supervision",
    ),
    path("suggestions/<int:pk>/leaders/", staff.LeadersView.as_view(), name="leaders"),
    path(
        "suggestions/<int:pk>/supervision-opinion/",
        supervision.SupervisionOpinionView.as_view(),
        name="supervision-opinion",
    ),
    path("suggestions/deputies/search/", deputy.deputy_search, name="deputy-search"),
    path("units/search/", staff.unit_search, name="unit-search"),
    path(
        "units/<int:pk>/assignment-letter.docx",
        paper.unit_assignment_letter,
        name="unit-assignment-letter",
    ),
    path(
        "units/<int:pk>/summary.xlsx",
        unit.UnitSummaryView.as_view(),
        name="unit-summary",
    ),
    path(
        "suggestions/search/",
        staff.SuggestionSearchView.as_view(),
        name="suggestion-search",
    ),
    path(
        "suggestions/<int:pk>/register/", staff.RegisterView.as_view(), name="register"
    ),
    path("suggestions/<int:pk>/reject/", staff.RejectView.as_view(), name="reject"),
    path("suggestions/<int:pk>/merge/", staff.MergeView.as_view(), name="merge"),
    path("suggestions/<int:pk>/assign/", staff.AssignView.as_view(), name="assign"),
    path(
        "suggestions/<int:pk>/mark-key/", staff.MarkKeyView.as_view(), name="mark-key"
    ),
    path("suggestions/<int:pk>/publish/", staff.PublishView.as_view(), name="publish"),
    path(
        "evaluation-meetings/",
        evaluation.EvaluationMeetingListView.as_view(),
        name="evaluation-meetings",
    ),
    path(
        "evaluation-meetings/<int:pk>/",
        evaluation.EvaluationMeetingView.as_view(),
        name="evaluation-meeting",
    ),
    path(
        "evaluations/<int:pk>/form-scan/",
        evaluation.evaluation_form_scan,
        name="evaluation-form-scan",
    ),
    path("requests/", staff.RequestQueueView.as_view(), name="requests"),
    path(
        "requests/<int:pk>/", staff.RequestDetailView.as_view(), name="request-detail"
    ),
    path("requests/<int:pk>/approve/", staff.ApproveView.as_view(), name="approve"),
    path("requests/<int:pk>/deny/", staff.DenyView.as_view(), name="deny"),
    path("assignments/", unit.AssignmentListView.as_view(), name="unit-assignments"),
    path(
        "assignments/<int:pk>/",
        unit.AssignmentDetailView.as_view(),
        name="assignment-detail",
    ),
    path(
        "assignments/<int:pk>/acknowledge/",
        unit.AcknowledgeView.as_view(),
        name="assignment-acknowledge",
    ),
    path(
        "assignments/<int:pk>/request-reassignment/",
        unit.RequestReassignmentView.as_view(),
        name="assignment-request-reassignment",
    ),
    path(
        "assignments/<int:pk>/request-extension/",
        unit.RequestExtensionView.as_view(),
        name="assignment-request-extension",
    ),
    path(
        "assignments/<int:pk>/contact/",
        unit.ContactView.as_view(),
        name="assignment-contact",
    ),
    path(
        "assignments/<int:pk>/plan/",
        unit.PlanView.as_view(),
        name="assignment-plan",
    ),
    path(
        "assignments/<int:pk>/progress/",
        unit.ProgressView.as_view(),
        name="assignment-progress",
    ),
    path(
        "assignments/<int:pk>/reply/",
        unit.ReplyView.as_view(),
        name="assignment-reply",
    ),
    path(
        "assignments/<int:pk>/reply-letter.docx",
        unit.ReplyLetterView.as_view(),
        name="assignment-reply-letter",
    ),
    path(
        "assignments/<int:pk>/fulfil/",
        unit.FulfilView.as_view(),
        name="assignment-fulfil",
    ),
]
