"""`manage.py ensure_signing_key`: a self-signed development key and
certificate for signing certificate PDFs, written where the settings
PORTAL_SIGNING_KEY / PORTAL_SIGNING_CERT point (var/signing/ by default).

Does nothing when both files exist, so `make run` can call it every time. A
deployment configures its own key from its certificate authority instead; a
self-signed pair only proves that a PDF was not changed since this portal
signed it."""

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "生成开发用自签名证照签名密钥与证书（已存在时不做任何事）。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="覆盖已有的密钥和证书。")
        parser.add_argument("--days", type=int, default=730, help="证书有效天数（默认 730）。")

    def handle(self, *args, force=False, days=730, **options):
        key_path = Path(settings.PORTAL_SIGNING_KEY)
        cert_path = Path(settings.PORTAL_SIGNING_CERT)
        present = [path for path in (key_path, cert_path) if path.exists()]
        if len(present) == 2 and not force:
            self.stdout.write(f"Signing key exists: {key_path}")
            return
        if present and not force:
            # Half a pair is a broken deployment, not something to paper over.
            raise CommandError(f"Only {present[0]} exists; remove it or use --force.")
        key_pem, cert_pem = self_signed_pair(days)
        key_path.parent.mkdir(parents=True, exist_ok=True)
        cert_path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key_pem)
        cert_path.write_bytes(cert_pem)
        self.stdout.write(self.style.SUCCESS(f"Wrote {key_path} and {cert_path}"))


def self_signed_pair(days):
    """(key PEM, certificate PEM): RSA-3072, usable for document signing."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    # id-kp-documentSigning (RFC 9336): what a PDF signing key is for.
    document_signing = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "一件事审批平台"),
            x509.NameAttribute(NameOID.COMMON_NAME, "一件事审批平台电子证照签章（开发用）"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([document_signing]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)
