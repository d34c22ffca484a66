"""A list's query string is input like a body: a parameter the list does
not know, a value of the wrong kind or a parameter given twice is a 400
naming it — never silently ignored, since a mistyped filter would otherwise
answer with everything.

A list view declares its filters as a serializer (`filter_serializer_class`,
also its documented parameters); the page parameters are the paginator's."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError


def validate_query(query_params, fields):
    """The query string checked against `fields` (name → serializer field);
    the validated values of the parameters given."""
    problems = {}
    for name in query_params:
        if name not in fields:
            problems[name] = [_("未知的查询参数。")]
        elif len(query_params.getlist(name)) > 1:
            problems[name] = [_("该查询参数只能给一个值。")]
    if problems:
        raise ValidationError(problems)
    query = type("Query", (serializers.Serializer,), dict(fields))(data=query_params.dict())
    query.is_valid(raise_exception=True)
    return query.validated_data


class ValidatedQueryMixin:
    """For list views: `self.query` holds the validated filters and page
    parameters before the queryset is built."""

    filter_serializer_class = None

    def list(self, request, *args, **kwargs):
        fields = dict(self.paginator.query_fields()) if self.paginator else {}
        if self.filter_serializer_class is not None:
            fields.update(self.filter_serializer_class().get_fields())
        self.query = validate_query(request.query_params, fields)
        return super().list(request, *args, **kwargs)
