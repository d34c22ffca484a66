from django import template

register = template.Library()


@register.filter
def absolute(value):
    """|-3| for "overdue by 3 working days"."""
    try:
        return abs(value)
    except TypeError:
        return value


@register.filter
def is_number(value):
    """Numbers are right-aligned in the tables (bool is not a number here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def print_fill(css):
    """The fill a chart segment's CSS class stands for, for the PDF."""
    from supervision.charts import PRINT_FILLS

    return PRINT_FILLS.get(css, "#57606a")
