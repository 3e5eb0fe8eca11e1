from django import template

from accounts import signup

register = template.Library()


@register.simple_tag
def signup_needs_invite() -> bool:
    return signup.needs_invite()
