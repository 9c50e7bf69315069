"""The sunset plan's pages: the action plan's views (planning/plans/views) serving the plan
of kind "sunset". Each name is the action plan's with "sunset-" in front
(planning:sunset-plan, planning:sunset-plan-part, planning:sunset-plan-list, ...)."""

from django.urls import path

from planning.models import ActionPlan
from planning.plans.views import editing, review

SUNSET = {"kind": ActionPlan.Kind.SUNSET}

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("sunset-plans/", review.plan_list, SUNSET, name="sunset-plan-list"),
    path("sunset-plans/template/", editing.plan_template, SUNSET, name="sunset-plan-template"),
    path(
        "sunset-plans/template/<slug:part_key>/",
        editing.plan_template_part,
        SUNSET,
        name="sunset-plan-template-part",
    ),
]

# Under /c/<cohort_slug>/communities/<community_slug>/. The fixed paths come before
# sunset-plan/<part_key>/, which would take them.
community_urls = [
    path("sunset-plan/", editing.plan, SUNSET, name="sunset-plan"),
    path("sunset-plan/print/", review.plan_print, SUNSET, name="sunset-plan-print"),
    path("sunset-plan/sunset-plan.pdf", review.plan_pdf, SUNSET, name="sunset-plan-pdf"),
    path("sunset-plan/versions/", review.plan_versions, SUNSET, name="sunset-plan-versions"),
    path("sunset-plan/submit/", review.plan_submit, SUNSET, name="sunset-plan-submit"),
    path("sunset-plan/review/", review.plan_review, SUNSET, name="sunset-plan-review"),
    path("sunset-plan/comments/", review.plan_comment, SUNSET, name="sunset-plan-comment"),
    path("sunset-plan/<slug:part_key>/", editing.plan_part, SUNSET, name="sunset-plan-part"),
    path(
        "sunset-plan/<slug:part_key>/save/",
        editing.plan_part_save,
        SUNSET,
        name="sunset-plan-part-save",
    ),
]

public_urls = []
