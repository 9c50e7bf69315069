from django.contrib import admin

from .models import (
    Activity,
    Cohort,
    CohortRole,
    Community,
    Invitation,
    Membership,
    Organization,
    Participant,
    Topic,
)


class CohortRoleInline(admin.TabularInline):
    model = CohortRole
    extra = 0
    raw_id_fields = ["user"]


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0
    fields = ["name", "slug", "description"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "starts_on", "ends_on"]
    search_fields = ["name", "slug"]
    inlines = [CohortRoleInline, TopicInline]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "cohort", "kind", "city", "state", "zip_code"]
    list_filter = ["cohort", "state"]
    search_fields = ["name"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "cohort", "organization", "user", "joined_at"]
    list_filter = ["cohort"]
    search_fields = ["name", "email", "organization__name"]
    raw_id_fields = ["organization", "user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "participant",
        "cohort",
        "send_count",
        "last_sent_at",
        "expires_at",
        "accepted_at",
    ]
    list_filter = ["cohort"]
    raw_id_fields = ["participant", "invited_by"]
    exclude = ["token"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["participant"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "cohort",
        "topic",
        "phase",
        "phase_override",
        "work_type",
        "archived_at",
    ]
    list_filter = ["cohort", "phase", "work_type"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["created_at", "cohort", "actor", "verb", "target"]
    list_filter = ["cohort", "verb"]
    readonly_fields = ["cohort", "actor", "verb", "target", "data", "created_at"]
