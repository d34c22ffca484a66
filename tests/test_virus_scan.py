"""Virus scanning of uploads: the ClamAV client speaks clamd's INSTREAM
protocol to a local server that answers like clamd; an infected file is
refused on its slot, and an unreachable scanner refuses every upload."""

import hashlib
import socket
import struct
import tempfile
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import Material
from approvals.services.virus_scan import ClamdScanner, ScannerUnavailable, TooLargeToScan

from .factories import ApplicationFactory

# The EICAR test file, assembled here so no scanner flags this source file.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
KIND = "construction-drawings"


class FakeClamd:
    """Answers INSTREAM as clamd does: `stream: OK`, or a FOUND line when
    the stream holds the EICAR string; `reply` overrides the answer."""

    def __init__(self, family=socket.AF_INET, reply=None):
        self.reply = reply
        self.received = []
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        if family == socket.AF_UNIX:
            self.path = str(Path(tempfile.mkdtemp()) / "clamd.sock")
            self.listener.bind(self.path)
            self.address = f"unix://{self.path}"
        else:
            self.listener.bind(("127.0.0.1", 0))
            self.address = f"tcp://127.0.0.1:{self.listener.getsockname()[1]}"
        self.listener.listen()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                self.answer(connection.makefile("rb"), connection)

    def answer(self, stream, connection):
        assert stream.read(len(b"zINSTREAM\0")) == b"zINSTREAM\0"
        data = b""
        while size := struct.unpack("!L", stream.read(4))[0]:
            data += stream.read(size)
        self.received.append(data)
        if self.reply is not None:
            reply = self.reply
        elif EICAR in data:
            reply = b"stream: Eicar-Signature FOUND"
        else:
            reply = b"stream: OK"
        connection.sendall(reply + b"\0")

    def close(self):
        self.listener.close()


@pytest.fixture
def clamd():
    server = FakeClamd()
    yield server
    server.close()


@pytest.fixture
def clamd_configured(clamd, settings):
    settings.PORTAL_VIRUS_SCANNER = "approvals.services.virus_scan.ClamdScanner"
    settings.PORTAL_CLAMD_ADDRESS = clamd.address
    return clamd


def test_clean_stream_is_clean_and_sent_whole(clamd):
    content = b"%PDF-1.4\n" + bytes(range(256)) * 600  # several INSTREAM chunks
    verdict = ClamdScanner(clamd.address).scan(SimpleUploadedFile("a.pdf", content))
    assert verdict.clean
    assert hashlib.sha256(clamd.received[0]).digest() == hashlib.sha256(content).digest()


def test_eicar_is_found_with_its_signature(clamd):
    verdict = ClamdScanner(clamd.address).scan(SimpleUploadedFile("eicar.com", EICAR))
    assert not verdict.clean
    assert verdict.signature == "Eicar-Signature"


def test_unix_socket_is_spoken_too():
    server = FakeClamd(family=socket.AF_UNIX)
    try:
        verdict = ClamdScanner(server.address).scan(SimpleUploadedFile("eicar.txt", EICAR))
    finally:
        server.close()
    assert server.address.startswith("unix://")
    assert verdict.signature == "Eicar-Signature"


def test_clamd_error_reply_means_unavailable():
    server = FakeClamd(reply=b"Can't allocate memory ERROR")
    try:
        with pytest.raises(ScannerUnavailable, match="allocate") as caught:
            ClamdScanner(server.address).scan(SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    finally:
        server.close()
    assert not isinstance(caught.value, TooLargeToScan)


@pytest.mark.django_db
def test_a_file_over_clamds_stream_limit_is_refused_for_its_size(
    client, draft, pdf_bytes, settings
):
    server = FakeClamd(reply=b"INSTREAM size limit exceeded. ERROR")
    settings.PORTAL_VIRUS_SCANNER = "approvals.services.virus_scan.ClamdScanner"
    settings.PORTAL_CLAMD_ADDRESS = server.address
    try:
        page = upload(client, draft, "施工图.pdf", pdf_bytes).content.decode()
    finally:
        server.close()
    assert "超过病毒检查能接受的大小" in page and "请稍后再试" not in page
    assert not Material.objects.exists()


def closed_port_address():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"tcp://127.0.0.1:{port}"


def test_unreachable_clamd_is_unavailable():
    with pytest.raises(ScannerUnavailable):
        ClamdScanner(closed_port_address(), timeout=2).scan(SimpleUploadedFile("a.pdf", b"x"))


@pytest.fixture
def draft(catalog, client, pdf_bytes):
    application = ApplicationFactory(form_data={"note": "已填写的内容"})
    client.force_login(application.created_by)
    return application


def upload(client, application, name, content):
    return client.post(
        f"/applications/{application.pk}/materials/",
        {"kind": KIND, "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.django_db
def test_infected_upload_is_refused_on_its_slot(client, draft, pdf_bytes, clamd_configured):
    response = upload(client, draft, "施工图.pdf", pdf_bytes + EICAR)
    page = response.content.decode()
    assert response.status_code == 200
    assert "未通过病毒检查（Eicar-Signature）" in page
    slot = page.split(f'id="material-{KIND}"', 1)[1].split("</li>", 1)[0]
    assert "未通过病毒检查" in slot
    assert f'href="#file-{KIND}"' in page  # the error summary leads to the slot's input
    assert not Material.objects.exists()
    draft.refresh_from_db()
    assert draft.form_data == {"note": "已填写的内容"}


@pytest.mark.django_db
def test_clean_upload_passes_the_scanner(client, draft, pdf_bytes, clamd_configured):
    response = upload(client, draft, "施工图.pdf", pdf_bytes)
    assert response.status_code == 302
    material = Material.objects.get(application=draft)
    assert clamd_configured.received == [pdf_bytes]
    assert material.sha256 == hashlib.sha256(pdf_bytes).hexdigest()


@pytest.mark.django_db
def test_unreachable_scanner_refuses_the_upload(client, draft, pdf_bytes, settings):
    settings.PORTAL_VIRUS_SCANNER = "approvals.services.virus_scan.ClamdScanner"
    settings.PORTAL_CLAMD_ADDRESS = closed_port_address()
    response = upload(client, draft, "施工图.pdf", pdf_bytes)
    assert "暂时无法完成病毒检查，文件未上传，请稍后再试" in response.content.decode()
    assert not Material.objects.exists()


@pytest.mark.django_db
def test_default_scanner_lets_clean_files_through(client, draft, pdf_bytes):
    assert upload(client, draft, "施工图.pdf", pdf_bytes).status_code == 302
    assert Material.objects.filter(application=draft).count() == 1
