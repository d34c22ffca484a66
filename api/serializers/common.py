"""Small shapes shared by several resources."""

from rest_framework import serializers


class CodeNameSerializer(serializers.Serializer):
    """Any catalogue thing by its stable code and its display name."""

    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a sentence to show, and what to fix."""

    detail = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField(), required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
