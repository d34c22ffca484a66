"""A real HTTP server on 127.0.0.1 in a thread, standing in for an outside
system (a webhook receiver, the credit system). It records every request
and answers with whatever the test's `answer(request)` returns."""

import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"{}"
    headers: dict = field(default_factory=dict)
    # Set by the test to release a request held open (a timeout).
    hold: threading.Event | None = field(default=None)


class _Handler(BaseHTTPRequestHandler):
    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        request = Received(self.command, self.path, dict(self.headers), self.rfile.read(length))
        self.server.received.append(request)
        answer = self.server.answer(request)
        if answer.hold is not None:
            answer.hold.wait(timeout=10)
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)

    do_GET = do_POST = _handle

    def log_message(self, *args):
        pass


class LocalServer:
    def __init__(self, answer=None, port=0):
        self.answer = answer or (lambda request: Answer())
        self.port = port
        self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hook"

    @property
    def received(self):
        return self.server.received if self.server else []

    def start(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        self.server.received = []
        self.server.answer = lambda request: self.answer(request)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def closed_port():
    """A port nothing listens on (connection refused) until a test starts
    a LocalServer on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
