"""The virus-scan hook every upload passes through: a scanner chosen by the
PORTAL_VIRUS_SCANNER setting (a dotted path), a no-op by default and ClamAV's
daemon when configured.

The ClamAV client speaks clamd's INSTREAM command itself (the `clamd` package
is unmaintained and the maintained fork is GPL). A scanner that cannot be
reached raises `ScannerUnavailable`: the caller refuses the upload rather
than let an unscanned file in (fail closed).
"""

import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string


class ScannerUnavailable(Exception):
    """The scanner could not give a verdict (down, timed out, refused)."""


class TooLargeToScan(ScannerUnavailable):
    """clamd refused the stream as longer than its StreamMaxLength: trying
    again will not help, a smaller file (or a larger limit) will."""


@dataclass(frozen=True)
class Verdict:
    clean: bool
    signature: str = ""


CLEAN = Verdict(clean=True)


class NoScanner:
    """Accepts everything: for development and deployments without ClamAV."""

    def scan(self, uploaded_file):
        return CLEAN


class ClamdScanner:
    """clamd over TCP (`tcp://host:3310`) or a unix socket
    (`unix:///run/clamav/clamd.ctl`), from PORTAL_CLAMD_ADDRESS."""

    CHUNK = 64 * 1024  # clamd's StreamMaxLength bounds the total, not the chunk

    def __init__(self, address=None, timeout=None):
        self.address = address or settings.PORTAL_CLAMD_ADDRESS
        self.timeout = timeout or settings.PORTAL_CLAMD_TIMEOUT

    def _connect(self):
        parts = urlsplit(self.address)
        if parts.scheme == "unix":
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(self.timeout)
            connection.connect(parts.path)
            return connection
        if parts.scheme == "tcp":
            return socket.create_connection((parts.hostname, parts.port or 3310), self.timeout)
        raise ScannerUnavailable(f"unsupported clamd address {self.address!r}")

    def scan(self, uploaded_file):
        try:
            with self._connect() as connection:
                connection.sendall(b"zINSTREAM\0")
                uploaded_file.seek(0)
                for chunk in uploaded_file.chunks(self.CHUNK):
                    connection.sendall(struct.pack("!L", len(chunk)) + chunk)
                connection.sendall(struct.pack("!L", 0))
                reply = _read_reply(connection)
        except OSError as error:
            raise ScannerUnavailable(str(error)) from error
        finally:
            uploaded_file.seek(0)
        # "stream: OK", "stream: <signature> FOUND", or "<reason> ERROR"
        if reply.endswith(" FOUND"):
            return Verdict(clean=False, signature=reply.removeprefix("stream: ")[: -len(" FOUND")])
        if reply == "stream: OK":
            return CLEAN
        if "size limit exceeded" in reply:
            raise TooLargeToScan(reply)
        raise ScannerUnavailable(reply)


def _read_reply(connection):
    reply = b""
    while not reply.endswith(b"\0"):
        data = connection.recv(4096)
        if not data:
            break
        reply += data
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def scanner():
    return import_string(settings.PORTAL_VIRUS_SCANNER)()
