"""Scopes: each view declares what a token needs for each action.

`required_scopes` is a set (every action) or a dict from action name to
set; an empty set means the action is public. A token request to an action
that declares nothing is refused: forgetting a declaration must not open
a door. Session requests (a person in the browser) are not scope-limited;
what a person may do is decided by the services and querysets, as on the
pages."""

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from .models import ApiToken


def required_scopes(view):
    declared = getattr(view, "required_scopes", None)
    if isinstance(declared, dict):
        return declared.get(getattr(view, "action", None))
    return declared


class HasRequiredScopes(BasePermission):
    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken) or _not_allowed(request, view):
            return True
        needed = required_scopes(view)
        if needed is None:
            self.message = _("该接口未声明权限范围，令牌不能访问。")
            return False
        missing = sorted(set(needed) - set(token.scopes))
        if missing:
            self.message = _("令牌缺少权限范围：%(scopes)s") % {"scopes": ", ".join(missing)}
            return False
        return True


def _not_allowed(request, view):
    """A method the resource does not have: let the view answer 405 with
    its Allow header rather than a misleading 403 about scopes."""
    return request.method.upper() not in view.allowed_methods
