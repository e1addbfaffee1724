"""Forms of the 智改数转 pages: exactly the fields the services accept, with the zone's enterprises offered."""

from django import forms

from gaoxin.core.pages import ChangeMessageMixin

from .models import Measurement, Recognition, RndInstitution, TransformationProject
from .selectors.projects import enterprise_choices
from .services.institutions import INSTITUTION_FIELDS
from .services.measurements import MEASUREMENT_FIELDS
from .services.projects import PROJECT_FIELDS
from .services.recognitions import RECOGNITION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _enterprise_label(enterprise) -> str:
    return f"{enterprise.name}（{enterprise.uscc}）"


class _EnterpriseForm(ChangeMessageMixin, forms.ModelForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprise_choices(user=user)
        self.fields["enterprise"].label_from_instance = _enterprise_label


class ProjectForm(_EnterpriseForm):
    class Meta:
        model = TransformationProject
        fields = list(PROJECT_FIELDS)
        widgets = {"started_on": DATE, "completed_on": DATE, "certified_on": DATE,
                   "description": forms.Textarea(attrs={"rows": 3})}


class MeasurementForm(ChangeMessageMixin, forms.ModelForm):
    class Meta:
        model = Measurement
        fields = list(MEASUREMENT_FIELDS)
        widgets = {"before_from": DATE, "before_to": DATE, "after_from": DATE, "after_to": DATE}


class InstitutionForm(_EnterpriseForm):
    class Meta:
        model = RndInstitution
        fields = list(INSTITUTION_FIELDS)
        widgets = {"recognized_on": DATE}


class RecognitionForm(_EnterpriseForm):
    class Meta:
        model = Recognition
        fields = list(RECOGNITION_FIELDS)
        widgets = {"recognized_on": DATE, "valid_until": DATE}
