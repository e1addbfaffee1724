"""What the policy page shows of the award flow: awards by status and the publicity batches.

The policy detail page includes `policies/includes/policy_awards.html` and `policy_publicities.html` with only
`policy` in its context; these tags read, through the selectors and in the viewer's scope, what they show.
"""

from django import template

from gaoxin.core.pages import can_edit

from ..selectors import awards as award_selectors
from ..selectors import publicity as publicity_selectors

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def policy_award_summary(context, policy) -> dict:
    """{"rows": per status (count, Σ amount), "count", "amount_wan"} of the policy's awards."""
    rows = award_selectors.award_summary_for_policy(user=_user(context), policy=policy)
    return {"rows": rows, "count": sum(r["count"] for r in rows),
            "amount_wan": sum((r["amount_wan"] for r in rows), award_selectors.ZERO)}


@register.simple_tag(takes_context=True)
def policy_publicity_summary(context, policy) -> dict:
    """{"publicities", "awaiting" (paid awards not yet published), "can_add"} for the policy."""
    user = _user(context)
    awaiting = publicity_selectors.awards_awaiting_publicity(policy=policy)
    return {
        "publicities": list(publicity_selectors.publicities_of_policy(user=user, policy=policy)),
        "awaiting": awaiting.count(),
        "can_add": can_edit(user, policy),
    }
