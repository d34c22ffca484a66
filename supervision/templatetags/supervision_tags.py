from django import template

register = template.Library()


@register.filter
def absolute(value):
    """|-3| for "overdue by 3 working days"."""
    try:
        return abs(value)
    except TypeError:
        return value
