"""PAdES signatures on certificate PDFs (pyHanko): signing with the key the
deployment configures (settings PORTAL_SIGNING_KEY / PORTAL_SIGNING_CERT)
and checking a signed PDF against that certificate for the verify page.

The signature is a certification signature that permits no changes: any
edit after signing, even a valid incremental update, fails the check.
pyHanko is imported inside the functions; only the worker signs and only
the verify page checks."""

import logging
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

FIELD_NAME = "PortalCertificateSeal"


def is_configured():
    return Path(settings.PORTAL_SIGNING_KEY).is_file() and (
        Path(settings.PORTAL_SIGNING_CERT).is_file()
    )


def sign(pdf: bytes, *, reason="", location="") -> tuple[bytes, str]:
    """The PDF with a PAdES (B-B) certification signature appended, and the
    signer's name from its certificate."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    if not is_configured():
        raise ImproperlyConfigured(
            "No signing key: set PORTAL_SIGNING_KEY / PORTAL_SIGNING_CERT "
            "or run `manage.py ensure_signing_key` for a development key."
        )
    signer = _signer()
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=reason or None,
        location=location or None,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    _align_producer(writer)
    # A fixed reservation spares pyHanko a dry-run signature to measure the
    # container; 16 KiB holds an RSA-4096 signature with a 3-certificate chain.
    output = signers.sign_pdf(writer, metadata, signer=signer, bytes_reserved=16384)
    return output.getvalue(), _common_name(signer.signing_cert)


def _align_producer(writer):
    """PDF/A wants the Info dictionary and the XMP metadata to agree. pyHanko
    writes its own name as the XMP producer but appends it to an existing
    Info producer ("WeasyPrint 70.0; pyHanko …"); give both its name. (The
    PDF/A identification in the XMP, pdfaid, is kept by pyHanko.)"""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    reference = writer.trailer.raw_get("/Info")
    if isinstance(reference, generic.IndirectObject):
        reference.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(reference)


def _signer():
    """pyHanko's SimpleSigner parses the private key again for every raw
    signature, and for RSA that includes cryptography's key check: ~0.5 s
    each for 3072 bits, several times a render. Parse the deployment's own
    key once, without that check, and sign with the parsed key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    class ParsedKeySigner(signers.SimpleSigner):
        def sign_raw(self, data, digest_algorithm):
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            digest = get_pyca_cryptography_hash(digest_algorithm)
            if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, padding.PKCS1v15(), digest)
            if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                return key.sign(data, ec.ECDSA(digest))
            return super().sign_raw(data, digest_algorithm)

    key_bytes = Path(settings.PORTAL_SIGNING_KEY).read_bytes()
    load = (
        serialization.load_pem_private_key
        if b"-----BEGIN" in key_bytes
        else serialization.load_der_private_key
    )
    key = load(key_bytes, password=None, unsafe_skip_rsa_key_validation=True)
    return ParsedKeySigner(
        signing_cert=load_cert_from_pemder(settings.PORTAL_SIGNING_CERT),
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=SimpleCertificateStore(),
    )


@dataclass(frozen=True)
class SignatureCheck:
    """What the verify page says about a PDF's signature."""

    status: str  # one of STATUSES
    signer: str = ""

    STATUSES = {
        "valid": _("数字签名有效，文件自签发后未被改动。"),
        "untrusted": _("文件未被改动，但签名证书不是本平台当前的签章证书。"),
        "invalid": _("数字签名无效：文件已被改动或签名损坏。"),
        "unsigned": _("该证照文件未加数字签名。"),
        "unavailable": _("暂时无法核验数字签名。"),
    }

    @property
    def is_valid(self):
        return self.status == "valid"

    @property
    def message(self):
        return self.STATUSES[self.status]


def check(pdf: bytes) -> SignatureCheck:
    """Validate the PDF's signatures against the configured certificate."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures
    except Exception:  # not a PDF any more: that is tampering too
        logger.warning("Unreadable certificate PDF", exc_info=True)
        return SignatureCheck("invalid")
    if not signatures:
        return SignatureCheck("unsigned")
    if not Path(settings.PORTAL_SIGNING_CERT).is_file():
        return SignatureCheck("unavailable")
    context = ValidationContext(
        trust_roots=[load_cert_from_pemder(settings.PORTAL_SIGNING_CERT)], allow_fetching=False
    )
    signature = signatures[-1]
    try:
        status = validate_pdf_signature(signature, context)
    except Exception:
        logger.warning("Signature validation failed", exc_info=True)
        return SignatureCheck("invalid")
    signer = _common_name(status.signing_cert) if status.signing_cert else ""
    sound = status.intact and status.valid and status.docmdp_ok is not False
    if not sound or status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck("invalid", signer)
    return SignatureCheck("valid" if status.bottom_line else "untrusted", signer)


def _common_name(certificate):
    return certificate.subject.native.get("common_name", "")
