"""Where a delivery may go: only to public addresses, unless an
administrator (a superuser) has marked the subscriber `allow_internal`.

A subscriber's URL is chosen in admin, but the POST leaves from inside the
portal's network: aimed at 127.0.0.1, a private range or a cloud metadata
service (169.254.169.254) it would reach systems no outsider should (SSRF),
and the receiver's error body is shown in the delivery log. So the address
is checked twice: a literal address or `localhost` in the URL is refused
when the subscriber is saved, and every connection is checked against the
address it actually reached, after DNS, so a name that resolves (or
re-resolves) to an internal address is refused before a byte is sent.
Proxies from the environment are not used: the peer would be the proxy."""

import http.client
import ipaddress
import socket
import urllib.parse
import urllib.request

from django.utils.translation import gettext as _

LOCAL_NAMES = {"localhost", "localhost.localdomain"}


class InternalAddress(OSError):
    """Refused before sending: the address is not a public one."""


def is_public(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def named_internal_host(url):
    """The URL's host when it is an internal address or a local name
    written out (checked without DNS, when a subscriber is saved)."""
    host = (urllib.parse.urlsplit(url).hostname or "").rstrip(".").lower()
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return host
    try:
        return None if is_public(host) else host
    except ValueError:  # a name, checked when connecting
        return None


def _public_connection(address, *args, **kwargs):
    sock = socket.create_connection(address, *args, **kwargs)
    peer = sock.getpeername()[0]
    if not is_public(peer):
        sock.close()
        raise InternalAddress(_("拒绝推送到内网地址 %(address)s") % {"address": peer})
    return sock


class _PublicHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)


def opener(*handlers, allow_internal=False):
    """A urllib opener without environment proxies that, unless
    `allow_internal`, connects only to public addresses."""
    guards = () if allow_internal else (_PublicHTTPHandler, _PublicHTTPSHandler)
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), *guards, *handlers)
