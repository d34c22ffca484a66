"""Calls to outside systems (the credit system, webhook receivers) over
urllib: a redirect is refused, not followed. Followed, it would carry our
Authorization header to whatever host the answer names, and turn a POST
into a bodiless GET; the owner of the URL should fix it instead."""

import urllib.request


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx answer surfaces as an HTTPError with its code."""

    def redirect_request(self, *args, **kwargs):
        return None
