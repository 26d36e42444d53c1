"""``{% round_reports round %}``: the 汇报/反馈/归档 section of the round page, rendered by this app."""

from django import template

from xuncha.reports import selectors
from xuncha.reports.forms import CommentForm, NoteForm

register = template.Library()


@register.inclusion_tag("reports/_round_section.html", takes_context=True)
def round_reports(context, round_):
    request = context["request"]
    ctx = selectors.round_section(request.user, round_)
    ctx.update(csrf_token=context.get("csrf_token"), comment_form=CommentForm(), note_form=NoteForm())
    return ctx


@register.filter
def cn(number: int) -> str:
    """1 → 一 (headings 一、 and （一） as in the printed document)."""
    from xuncha.reports.content import cn_number

    return cn_number(int(number))
