import copy

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.html import format_html, format_html_join

from gaoxin.core import industry, uscc
from gaoxin.core.pages import ChangeMessageMixin

from .models import Enterprise
from .services import EDITABLE_FIELDS


class DatalistInput(forms.TextInput):
    """A free text input that suggests existing values (an HTML datalist), e.g. the zone's 片区 names."""

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-options"
        self.attrs["list"] = list_id
        field = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}"></option>', ((o,) for o in self.options))
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)


class EnterpriseForm(ChangeMessageMixin, forms.ModelForm):
    """USCC and industry code are checked by Enterprise.clean(), so the form, the import and the API agree."""

    class Meta:
        model = Enterprise
        fields = list(EDITABLE_FIELDS)
        widgets = {"registration_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, areas: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].widget = DatalistInput(options=areas)
        self.fields["uscc"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["industry_code"].widget.attrs["placeholder"] = "3971 / C3971"
        # People paste codes with spaces, hyphens or the 门类 letter; the length rule applies after
        # normalisation, so the form's raw-length check would only give a misleading message.
        for name in ("uscc", "industry_code"):
            field = self.fields[name]
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.widget.attrs.pop("maxlength", None)

    # The same core functions Enterprise.clean() applies, run here first so the message names the rule.
    def clean_uscc(self):
        try:
            return uscc.validate(self.cleaned_data["uscc"])
        except uscc.InvalidUSCC as exc:
            raise forms.ValidationError(str(exc), code=exc.rule) from None

    def clean_industry_code(self):
        try:
            return industry.normalise_class_code(self.cleaned_data["industry_code"])
        except industry.InvalidIndustryCode as exc:
            raise forms.ValidationError(str(exc), code="industry") from None

    def _post_clean(self):
        # When the form rejected a code, Enterprise.clean() re-checks the instance's previous value (empty
        # on a new record) and would add a message about that value: keep only the one about the input.
        rejected = {name: copy.copy(self._errors[name]) for name in ("uscc", "industry_code") if name in self._errors}
        super()._post_clean()
        self._errors.update(rejected)
