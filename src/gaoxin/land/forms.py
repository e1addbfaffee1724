from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import uscc
from gaoxin.core.pages import ChangeMessageMixin
from gaoxin.enterprises.selectors import enterprise_by_uscc, enterprise_choices_for_user

from .models import Building, Lease, Parcel, Unit
from .selectors import parcel_by_code, parcel_choices_for_user

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ParcelForm(ChangeMessageMixin, forms.ModelForm):
    """The holder is picked from the user's enterprises or, for any enterprise of the zone, by USCC."""

    holder_uscc = forms.CharField(
        label=gettext_lazy("或填写使用企业统一社会信用代码"), required=False,
        help_text=gettext_lazy("填写后以此为准，可指定本园区任一企业。"),
    )

    class Meta:
        model = Parcel
        fields = ["code", "location", "area_m2", "land_use", "supply_method", "holder", "supply_date", "status"]
        widgets = {"supply_date": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone_id = user.zone_id
        current = self.instance.holder if self.instance.holder_id else None
        self.fields["holder"].queryset = enterprise_choices_for_user(user=user, include=current)
        self.fields["holder"].label_from_instance = lambda e: f"{e.name}（{e.uscc}）"
        self.order_fields([*self.Meta.fields[:6], "holder_uscc", *self.Meta.fields[6:], "message"])

    def clean(self):
        cleaned = super().clean()
        raw = (cleaned.get("holder_uscc") or "").strip()
        if not raw:
            return cleaned
        try:
            holder = enterprise_by_uscc(zone=self.zone_id, code=raw)
        except uscc.InvalidUSCC as exc:
            self.add_error("holder_uscc", str(exc))
            return cleaned
        if holder is None:
            self.add_error("holder_uscc", _("本园区没有统一社会信用代码为“%(code)s”的企业。") % {"code": raw})
        else:
            cleaned["holder"] = holder
        return cleaned


class BuildingForm(ChangeMessageMixin, forms.ModelForm):
    """The parcel is picked from the user's parcels or, for any parcel of the zone, by its code."""

    parcel_code = forms.CharField(
        label=gettext_lazy("或填写所在地块编号"), required=False,
        help_text=gettext_lazy("填写后以此为准，可指定本园区任一地块。"),
    )

    class Meta:
        model = Building
        fields = ["code", "name", "parcel", "address"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone_id = user.zone_id
        current = self.instance.parcel if self.instance.parcel_id else None
        self.fields["parcel"].queryset = parcel_choices_for_user(user=user, include=current)
        self.order_fields(["code", "name", "parcel", "parcel_code", "address", "message"])

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("parcel_code") or "").strip()
        if not code:
            return cleaned
        parcel = parcel_by_code(zone=self.zone_id, code=code)
        if parcel is None:
            self.add_error("parcel_code", _("本园区没有编号为“%(code)s”的地块。") % {"code": code})
        else:
            cleaned["parcel"] = parcel
        return cleaned


class FloorForm(ChangeMessageMixin, forms.Form):
    number = forms.IntegerField(label=gettext_lazy("楼层"), min_value=-10, max_value=300,
                                help_text=gettext_lazy("地下层用负数，如 -1。"))


class UnitForm(ChangeMessageMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "floor_area_m2"]


class LeaseForm(ChangeMessageMixin, forms.ModelForm):
    """The tenant is one of the zone's enterprises the user can see; the unit comes from the page."""

    class Meta:
        model = Lease
        fields = ["enterprise", "area_m2", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.enterprise if self.instance.enterprise_id else None
        self.fields["enterprise"].queryset = enterprise_choices_for_user(user=user, include=current)
        self.fields["enterprise"].label_from_instance = lambda e: f"{e.name}（{e.uscc}）"
