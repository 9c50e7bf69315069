from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import EmailPreference, EmailSettings, OutboxMessage, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "can_create_cohorts", "is_staff", "is_active", "last_login"]
    list_filter = ["can_create_cohorts", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("name", "can_create_cohorts")}),
        (
            _("Site permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "to_email", "state", "due_at", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["to_email", "key", "subject"]
    date_hierarchy = "due_at"
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False


class EmailPreferenceInline(admin.TabularInline):
    model = EmailPreference
    extra = 0


@admin.register(EmailSettings)
class EmailSettingsAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "time_zone", "daily_digest_at", "weekly_digest_at"]
    search_fields = ["email"]
    inlines = [EmailPreferenceInline]
