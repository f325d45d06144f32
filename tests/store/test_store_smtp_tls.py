"""SMTP_URL security: STARTTLS when the server offers it, implicit TLS for smtps://, login from the URL."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
import warnings
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, AuthResult
from conftest import SmtpRecorder
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.adapters.mail_out import SendReport, SmtpTarget, SmtpTransport, deliver

from .test_store_sender import file_some


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for 127.0.0.1: (server context, client context trusting it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client


class Logins:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.seen.append((login, password))
        return AuthResult(success=(login, password) == ("bot", "p@ss:word"))


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "smtps"])
async def test_tls_and_login_from_the_url(store: Any, clock: Any, certificate: Any, implicit: bool) -> None:
    server_ctx, client_ctx = certificate
    recorder, logins = SmtpRecorder(), Logins()
    loop = asyncio.get_running_loop()

    def factory() -> SMTP:
        with warnings.catch_warnings():
            # aiosmtpd cannot see that an smtps connection is TLS from the start and warns about AUTH
            # without TLS; it is TLS here (create_server(ssl=...)).
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS", UserWarning)
            return SMTP(recorder, hostname="mx.test", loop=loop, authenticator=logins, auth_required=True,
                        auth_require_tls=not implicit, require_starttls=not implicit,
                        tls_context=None if implicit else server_ctx)

    server = await loop.create_server(factory, "127.0.0.1", 0, ssl=server_ctx if implicit else None)
    port = server.sockets[0].getsockname()[1]
    scheme = "smtps" if implicit else "smtp"
    try:
        await file_some(store, clock, 1)
        target = SmtpTarget.from_url(f"{scheme}://bot:p%40ss%3Aword@127.0.0.1:{port}")
        assert target.implicit_tls is implicit and target.password == "p@ss:word"
        report = SendReport()
        rows = await store.claim_outbox("w")
        await deliver(store, SmtpTransport(target, helo_name="privacy.test", tls_context=client_ctx), rows,
                      worker="w", report=report)
        assert (report.sent, report.retry, report.failed) == (2, 0, 0), report.errors
        assert len(recorder.messages) == 2 and logins.seen[0] == ("bot", "p@ss:word")

        # A wrong password is the configuration's fault: retried later, never a failed ticket.
        await file_some(store, clock, 2)
        wrong = SmtpTarget.from_url(f"{scheme}://bot:nope@127.0.0.1:{port}")
        report = SendReport()
        await deliver(store, SmtpTransport(wrong, helo_name="privacy.test", tls_context=client_ctx, timeout=2),
                      await store.claim_outbox("w"), worker="w", report=report)
        assert report.failed == 0 and report.retry == 2 and len(recorder.messages) == 2
    finally:
        server.close()
        await server.wait_closed()


async def test_an_untrusted_certificate_is_refused(store: Any, clock: Any, certificate: Any) -> None:
    server_ctx, _ = certificate
    recorder = SmtpRecorder()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(recorder, hostname="mx.test", loop=loop), "127.0.0.1", 0,
                                      ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    try:
        await file_some(store, clock, 1)
        report = SendReport()
        await deliver(store, SmtpTransport(SmtpTarget.from_url(f"smtps://127.0.0.1:{port}"), helo_name="x.test"),
                      await store.claim_outbox("w"), worker="w", report=report)
        assert report.sent == 0 and report.retry == 2 and recorder.messages == []
    finally:
        server.close()
        await server.wait_closed()
