from django import template
from django.urls import reverse

from xuncha.policy.surveys import survey_policy

register = template.Library()


@register.simple_tag(takes_context=True)
def round_surveys_link(context, round_):
    """The 问卷测评 button of a round's page, for those who may read its questionnaires."""
    user = context["request"].user
    if not survey_policy.can(user, "view", round_):
        return ""
    from django.utils.html import format_html

    return format_html('<a class="button" href="{}">问卷测评</a>', reverse("surveys:round", args=[round_.pk]))
