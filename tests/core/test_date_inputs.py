"""Every date field renders its value as ISO 8601: a browser's <input type="date"> shows nothing for the
Chinese locale's 2026/11/29, so a prefilled or stored date would be lost on the next save."""

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms
from django.utils import translation

import gaoxin

DAY = dt.date(2026, 11, 29)


def _form_classes():
    for module_info in pkgutil.walk_packages(gaoxin.__path__, "gaoxin."):
        name = module_info.name
        holds_forms = ".forms" in name or name.endswith((".views", ".pages"))
        if not holds_forms or ".migrations" in name:
            continue
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == name:
                yield value


@pytest.mark.parametrize("form_class", list(_form_classes()), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_date_widgets_render_iso_in_chinese(form_class):
    dated = {n: f for n, f in form_class.base_fields.items() if isinstance(f, forms.DateField)}
    with translation.override("zh-hans"):
        for name, field in dated.items():
            html = field.widget.render(name, DAY)
            assert 'value="2026-11-29"' in html, f"{form_class.__name__}.{name}: {html}"
