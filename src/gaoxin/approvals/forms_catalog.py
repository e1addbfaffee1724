"""The item edit form of a draft catalog. The service (services.catalog.item_def_update) holds the rules;
the form turns the page's inputs into its arguments: material lists are one per line, prerequisites are
the other items of the same draft. The route and bundle forms (services.catalog.route_update /
bundle_update) work the same way: their item choices are the draft's own items, so an item of another
catalog is not a choice at all."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from gaoxin.core.pages import ChangeMessageMixin

from .models import BundleDef, ItemDef, RouteTemplate
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


def _item_label(item: ItemDef) -> str:
    """An item as a checkbox shows it: its name and its promised limit (即办 for 0)."""
    if item.promised_limit_wd == 0:
        return gettext("%(name)s（即办）") % {"name": item.name}
    return gettext("%(name)s（承诺 %(n)d 个工作日）") % {"name": item.name, "n": item.promised_limit_wd}


def _items_field(label, items, *, required: bool) -> forms.ModelMultipleChoiceField:
    """Checkboxes over the draft's own items. An id from another catalog (a forged or stale post) is not
    a choice, and the message says so in the catalog's terms."""
    field = forms.ModelMultipleChoiceField(
        label=label, queryset=items, required=required, widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy("事项 %(value)s 不属于本目录，不能选择。"),
            "invalid_pk_value": gettext_lazy("“%(pk)s”不是有效的事项编号。"),
            "required": gettext_lazy("请至少选择一个事项。"),
        })
    field.label_from_instance = _item_label
    return field


def _by_stage(bound_field) -> list[tuple[object, list]]:
    """The checkboxes of a bound items field grouped by stage, in the catalog's order: [(stage, widgets)]."""
    groups: dict[int, tuple[object, list]] = {}
    for widget in bound_field.subwidgets:
        item = widget.data["value"].instance
        groups.setdefault(item.stage_id, (item.stage, []))[1].append(widget)
    return list(groups.values())


class RouteForm(ChangeMessageMixin, forms.Form):
    """Name, whole-process target and items of a draft's route (services.catalog.route_update)."""

    def __init__(self, *args, route: RouteTemplate, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"] = RouteTemplate._meta.get_field("name").formfield()
        self.fields["target_wd"] = RouteTemplate._meta.get_field("target_wd").formfield()
        self.fields["items"] = _items_field(RouteTemplate._meta.get_field("items").verbose_name, items,
                                            required=True)
        self.fields["items"].help_text = gettext_lazy(
            "勾选本类项目须办理的事项；路线中没有的前置事项按其自身的前置事项顺延。")
        self.order_fields(["name", "target_wd", "items", "message"])
        if not self.is_bound:
            self.initial.update({"name": route.name, "target_wd": route.target_wd,
                                 "items": [i.pk for i in route.items.all()]})

    def item_groups(self):
        return _by_stage(self["items"])

    def selected_items(self) -> list[ItemDef] | None:
        """The items the page currently shows as ticked (posted or saved); None when a posted choice is
        invalid, so no chain is computed from a selection that cannot be saved."""
        field = self.fields["items"]
        if not self.is_bound:
            return list(field.queryset.filter(pk__in=self.initial["items"]))
        try:
            return list(field.clean(self.data.getlist("items")))
        except ValidationError:
            return None


# A field's required flag as typed in the textarea: the Chinese words staff use and a few usual spellings.
REQUIRED_WORDS = {"必填": True, "是": True, "required": True, "true": True, "1": True, "*": True, "y": True,
                  "选填": False, "否": False, "optional": False, "false": False, "0": False, "n": False, "": False}


def parse_form_fields(text: str) -> list[dict]:
    """`name|label|必填` one field per line (the flag may be left out: 选填) → [{"name", "label",
    "required"}]. Every problem names its line, and all lines are checked before answering."""
    out, errors, seen = [], [], {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        where = {"n": number, "line": line[:40]}
        if len(parts) not in (2, 3):
            errors.append(gettext("第 %(n)d 行“%(line)s”：格式应为“字段名|标签|必填”，用竖线分隔两到三段。")
                          % where)
            continue
        name, label = parts[0], parts[1]
        flag = parts[2].lower() if len(parts) == 3 else ""
        if not (name.isidentifier() and name.isascii()):
            errors.append(gettext("第 %(n)d 行“%(line)s”：字段名“%(name)s”只能使用英文字母、数字和下划线，"
                                  "且不能以数字开头。") % {**where, "name": name})
        elif name in seen:
            errors.append(gettext("第 %(n)d 行“%(line)s”：字段名“%(name)s”与第 %(first)d 行重复。")
                          % {**where, "name": name, "first": seen[name]})
        else:
            seen[name] = number
        if not label:
            errors.append(gettext("第 %(n)d 行“%(line)s”：缺少中文标签。") % where)
        elif len(label) > 50:
            errors.append(gettext("第 %(n)d 行“%(line)s”：标签超过 50 字。") % where)
        if flag not in REQUIRED_WORDS:
            errors.append(gettext("第 %(n)d 行“%(line)s”：第三段“%(flag)s”应为“必填”或“选填”（也可省略，即选填）。")
                          % {**where, "flag": parts[2]})
        if not errors:
            out.append({"name": name, "label": label, "required": REQUIRED_WORDS[flag]})
    if errors:
        raise ValidationError(errors)
    return out


class FormFieldsField(forms.CharField):
    """A bundle's unified form fields edited as text, one `name|label|必填` per line."""

    widget = forms.Textarea(attrs={"rows": 6})

    def __init__(self, **kwargs):
        # Not stripped: leading blank lines count, so the line numbers in the messages match the textarea.
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(
                f"{f.get('name', '')}|{f.get('label', '')}|{gettext('必填') if f.get('required') else gettext('选填')}"
                for f in value if isinstance(f, dict))
        return value

    def to_python(self, value):
        return parse_form_fields(super().to_python(value) or "")


class BundleForm(ChangeMessageMixin, forms.Form):
    """Name, anchor, joint items, unified form fields and materials of a draft's 一件事
    (services.catalog.bundle_update)."""

    def __init__(self, *args, bundle: BundleDef, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"] = BundleDef._meta.get_field("name").formfield()
        self.fields["anchor"] = forms.ModelChoiceField(
            label=BundleDef._meta.get_field("anchor").verbose_name, queryset=items, empty_label=None,
            error_messages={"invalid_choice": gettext_lazy("所选主办事项不属于本目录。")},
            help_text=gettext_lazy("受理统一表单并牵头办理的事项。"))
        self.fields["anchor"].label_from_instance = _item_label
        self.fields["items"] = _items_field(BundleDef._meta.get_field("items").verbose_name, items, required=True)
        self.fields["items"].help_text = gettext_lazy("与主办事项一并办理的事项，不含主办事项本身。")
        self.fields["form_fields"] = FormFieldsField(
            label=BundleDef._meta.get_field("form_fields").verbose_name, required=False,
            help_text=gettext_lazy("每行一个字段：字段名|标签|必填，例如 new_name|新名称|必填；"
                                   "字段名用英文字母、数字和下划线，第三段可写“必填”或“选填”，省略为选填。"))
        self.fields["materials"] = LinesField(label=BundleDef._meta.get_field("materials").verbose_name,
                                              required=False, help_text=gettext_lazy("每行一项。"))
        self.order_fields(["name", "anchor", "items", "form_fields", "materials", "message"])
        if not self.is_bound:
            self.initial.update({"name": bundle.name, "anchor": bundle.anchor_id,
                                 "items": [i.pk for i in bundle.items.all()],
                                 "form_fields": bundle.form_fields, "materials": bundle.materials})

    def item_groups(self):
        return _by_stage(self["items"])

    def clean(self):
        data = super().clean()
        anchor, items = data.get("anchor"), data.get("items")
        if anchor is not None and items is not None and anchor in items:
            self.add_error("items", gettext("主办事项“%(name)s”不必再列为联办事项。") % {"name": anchor.name})
        return data
