"""Writes of the insight app: recording a suggestion and the worker's choice."""
from __future__ import annotations

from .classifier import CategoryModel
from .models import CategorySuggestionLog


def category_suggestion_record(*, model: CategoryModel, model_name: str, text: str, appeal=None,
                               k: int = 3) -> CategorySuggestionLog:
    explanations = model.explain(text, k=k)
    shown = [{"category": e.category, "confidence": round(e.confidence, 4), "terms": [t for t, _ in e.terms]}
             for e in explanations]
    return CategorySuggestionLog.objects.create(appeal=appeal, model_name=model_name, suggested=shown,
                                                suggested_top=shown[0]["category"],
                                                confidence=shown[0]["confidence"])


def category_suggestion_choose(*, log: CategorySuggestionLog, chosen: str, actor) -> CategorySuggestionLog:
    log.chosen, log.chosen_by = chosen, actor
    log.save(update_fields=["chosen", "chosen_by", "updated_at"])
    return log


def category_suggestion_accuracy(queryset=None) -> tuple[int, float | None]:
    """(decided suggestions, share where the worker kept the first suggestion)."""
    decided = list((CategorySuggestionLog.objects.all() if queryset is None else queryset).exclude(chosen="")
                   .values_list("suggested_top", "chosen"))
    if not decided:
        return 0, None
    return len(decided), sum(s == c for s, c in decided) / len(decided)


def category_suggestion_log_intake(*, actor, appeal, suggestions) -> CategorySuggestionLog | None:
    """What intake suggested for `appeal` (selectors.IntakeSuggestions, mapped to real categories) and the
    top-level category the worker registered it under ("" when left open), in one row."""
    if not suggestions.items:
        return None
    shown = [{"category": s.category.name, "confidence": s.confidence, "terms": list(s.terms)}
             for s in suggestions.items]
    chosen = (appeal.category.parent or appeal.category).name if appeal.category_id else ""
    return CategorySuggestionLog.objects.create(
        appeal=appeal, model_name=suggestions.model_name, suggested=shown, suggested_top=shown[0]["category"],
        confidence=shown[0]["confidence"], chosen=chosen, chosen_by=actor if chosen else None)


def category_suggestion_logged(*, appeal) -> bool:
    return CategorySuggestionLog.objects.filter(appeal=appeal).exists()
