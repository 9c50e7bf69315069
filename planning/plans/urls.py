"""The plans stage's pages: the action plan's parts, its review and versions, the print page
and the PDF, and the staff's list of plans and template."""

from django.urls import path

from planning.plans.views import editing, review

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("plans/", review.plan_list, name="plan-list"),
    path("plans/template/", editing.plan_template, name="plan-template"),
    path("plans/template/<slug:part_key>/", editing.plan_template_part, name="plan-template-part"),
]

# Under /c/<cohort_slug>/communities/<community_slug>/. The fixed paths come before
# plan/<part_key>/, which would take them.
community_urls = [
    path("plan/", editing.plan, name="plan"),
    path("plan/print/", review.plan_print, name="plan-print"),
    path("plan/plan.pdf", review.plan_pdf, name="plan-pdf"),
    path("plan/versions/", review.plan_versions, name="plan-versions"),
    path("plan/submit/", review.plan_submit, name="plan-submit"),
    path("plan/review/", review.plan_review, name="plan-review"),
    path("plan/comments/", review.plan_comment, name="plan-comment"),
    path("plan/<slug:part_key>/", editing.plan_part, name="plan-part"),
    path("plan/<slug:part_key>/save/", editing.plan_part_save, name="plan-part-save"),
]

public_urls = []
