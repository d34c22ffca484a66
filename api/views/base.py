"""Pieces every resource uses: the documented error answers and the check
that the caller is the kind of person an action is for."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse

from ..serializers.common import ErrorSerializer

ERROR_DESCRIPTIONS = {
    400: "输入或查询参数有误（errors）或业务规则不允许（problems）",
    401: "未登录或令牌无效",
    403: "无权执行此操作，或令牌缺少权限范围",
    404: "对象不存在或无权查看（列表：页码超出范围）",
    409: "状态已变化，操作未执行（如重复提交、重复受理）",
    406: "无法按 Accept 请求头给出的类型回答",
    415: "请求体的类型不受支持",
    429: "请求过于频繁，请按 Retry-After 稍后再试",
}


def errors(*codes):
    """Error answers for `extend_schema(responses=...)`."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
        for code in codes
    }


def require(condition):
    if not condition:
        raise PermissionDenied
