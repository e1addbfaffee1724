from django import template

from gaoxin.core import money
from gaoxin.core.units import m2_to_mu

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def wan(value):
    return money.format_wan(value)


@register.filter
def yi(value):
    return money.format_yi(value)


@register.filter
def mu(value_m2):
    return "" if value_m2 is None else m2_to_mu(value_m2)
