"""Labels of this app's audit action codes, registered with `core.labels` in AppConfig.ready()."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "appeal.category_create": _("新建诉求分类"), "appeal.category_update": _("修改诉求分类"),
    "appeal.category_import": _("导入诉求分类"), "appeal.service_level_set": _("设置办理时限"),
}


def actions() -> dict:
    """The demand's own verbs (the timeline's labels) as audit actions "appeal.<verb>", plus the rest."""
    from .models import VERB_LABELS
    return {**{f"appeal.{verb}": label for verb, label in VERB_LABELS.items()}, **ACTIONS}
