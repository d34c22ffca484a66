"""Small shapes shared by several resources."""

from rest_framework import serializers


class CodeNameSerializer(serializers.Serializer):
    """Any catalogue thing by its stable code and its display name."""

    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a stable code, a sentence to show, and what to fix."""

    code = serializers.CharField(
        help_text=(
            "稳定的错误代码：invalid、refused、incomplete、state_conflict、not_authenticated、"
            "authentication_failed、permission_denied、not_found、method_not_allowed、"
            "unsupported_media_type、parse_error、throttled 等。"
        )
    )
    detail = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField(), required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
