"""The item edit form of a draft catalog. The service (services.catalog.item_def_update) holds the rules;
the form turns the page's inputs into its arguments: material lists are one per line, prerequisites are
the other items of the same draft."""

from django import forms
from django.utils.translation import gettext_lazy

from gaoxin.core.pages import ChangeMessageMixin

from .models import ItemDef
from .services.catalog import ITEM_FIELDS

# The form's sections, in order: (title, fields).
ITEM_GROUPS = (
    (gettext_lazy("基本信息"), ("name", "stage", "department", "order")),
    (gettext_lazy("时限"), ("statutory_limit_wd", "promised_limit_wd", "pause_mode")),
    (gettext_lazy("前置事项与材料"), ("requires", "materials")),
    (gettext_lazy("容缺受理"), ("rongque_allowed", "deferrable_materials")),
    (gettext_lazy("告知承诺与区域评估"), ("commitment_allowed", "commitment_verify_wd", "commitment_method",
                                    "area_assessment_waivable")),
)


class LinesField(forms.CharField):
    """A list of texts edited as a textarea, one per line (blank lines dropped)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ItemDefForm(ChangeMessageMixin, forms.Form):
    """Fields built from the model's own (labels, limits, choices); `requires` and the two material lists
    are shaped for the page. Initial values come from `item`."""

    def __init__(self, *args, item: ItemDef, departments, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ITEM_FIELDS:
            if name in ("materials", "deferrable_materials"):
                continue
            self.fields[name] = ItemDef._meta.get_field(name).formfield()
        self.fields["stage"].queryset = item.catalog.stages.order_by("code")
        self.fields["department"].queryset = departments
        for name in ("stage", "department"):
            self.fields[name].empty_label = None
        self.fields["materials"] = LinesField(label=gettext_lazy("申报材料"), required=False,
                                              help_text=gettext_lazy("每行一项。"))
        self.fields["deferrable_materials"] = LinesField(
            label=gettext_lazy("可容缺材料"), required=False,
            help_text=gettext_lazy("每行一项，须为申报材料中的次要材料；可容缺受理时至少一项。"))
        self.fields["requires"] = forms.ModelMultipleChoiceField(
            label=ItemDef._meta.get_field("requires").verbose_name, required=False,
            widget=forms.CheckboxSelectMultiple,
            queryset=ItemDef.objects.filter(catalog_id=item.catalog_id).exclude(pk=item.pk).select_related("stage"),
            help_text=gettext_lazy("本事项需要其办理结果的事项；路线中没有的前置事项按其自身的前置事项顺延。"))
        self.fields["requires"].label_from_instance = lambda i: f"{i.stage.code}·{i.name}"
        if not self.is_bound:
            self.initial.update({name: getattr(item, f"{name}_id" if name in ("stage", "department") else name)
                                 for name in ITEM_FIELDS})
            self.initial["requires"] = [r.pk for r in item.requires.all()]

    def groups(self):
        """(title, bound fields) per section, for the grouped template."""
        return [(title, [self[f] for f in names if f in self.fields]) for title, names in ITEM_GROUPS]
