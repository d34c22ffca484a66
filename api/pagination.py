"""Every list is paged: a client asks for `?page=` (from 1) and
`?page_size=` (1 to 100 rows). A value out of range is a 400 naming it; a
page past the end is a 404."""

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()

    def query_fields(self):
        """The page parameters, checked with the list's filters
        (api.query.ValidatedQueryMixin) before any row is read."""
        return {
            self.page_query_param: serializers.IntegerField(min_value=1, required=False),
            self.page_size_query_param: serializers.IntegerField(
                min_value=1, max_value=self.max_page_size, required=False
            ),
        }

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
