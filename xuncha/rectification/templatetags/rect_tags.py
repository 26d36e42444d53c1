from django import template

from xuncha.reports.content import money as money_text

register = template.Library()


@register.filter
def percent(share) -> str:
    """0.3333 → 33.3%; None (nothing to divide by) → —."""
    return "—" if share is None else f"{share * 100:.1f}%"


@register.filter
def yuan(amount) -> str:
    return money_text(amount)


@register.filter
def get(mapping, key):
    return mapping.get(key, 0) if mapping else 0
