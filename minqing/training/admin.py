"""Read-only admin views: every write goes through the services (and their audit rows)."""
from django.contrib import admin

from .models import PolicyAnswer, PolicySuggestionLog, Quiz, QuizAttempt, TrainingSession


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnly):
    list_display = ("topic", "place", "starts_at")


@admin.register(Quiz)
class QuizAdmin(ReadOnly):
    list_display = ("title", "place", "pass_mark", "is_open")


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnly):
    list_display = ("quiz", "user", "score", "passed", "created_at")


@admin.register(PolicyAnswer)
class PolicyAnswerAdmin(ReadOnly):
    list_display = ("question", "topic", "issuing_body", "effective_on", "expires_on")
    search_fields = ("question",)


@admin.register(PolicySuggestionLog)
class PolicySuggestionLogAdmin(ReadOnly):
    list_display = ("appeal", "actor", "created_at")
