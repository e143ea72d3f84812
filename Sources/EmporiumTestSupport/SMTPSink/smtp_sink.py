"""A real SMTP server for Emporium's tests (aiosmtpd), written by no one on this project's side.

Prints {"port": N} once it listens on 127.0.0.1, writes each message it accepts to --dir as
JSON (envelope, raw bytes, and the parts as Python's own email parser reads them), and stops when
its standard input closes. Recipients steer it: tempfail-N@… is refused with 451 N times, then
accepted; reject@… is refused with 550; reject-once…@… is refused with 550 the first time only. --auth user:password requires AUTH (PLAIN or LOGIN).
"""
import argparse, asyncio, datetime, email, email.policy, ipaddress, json, os, socket, ssl, sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.refusals = {}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local.startswith("tempfail-"):
            wanted = int(local.split("-")[1])
            seen = self.refusals.get(address, 0)
            self.refusals[address] = seen + 1
            if seen < wanted:
                return "451 4.3.0 Try again later"
        if local == "reject":
            return "550 5.1.1 No such user here"
        if local.startswith("reject-once"):
            seen = self.refusals.get(address, 0)
            self.refusals[address] = seen + 1
            if seen == 0:
                return "550 5.1.1 No such user here (yet)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = {}
        for part in message.walk():
            if part.get_content_type() in ("text/plain", "text/html"):
                parts[part.get_content_type()] = part.get_content()
        self.count += 1
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "raw": raw.decode("utf-8", "replace"),
            "subject": str(message["subject"] or ""),
            "messageId": str(message["message-id"] or ""),
            "from": str(message["from"] or ""),
            "to": str(message["to"] or ""),
            "text": parts.get("text/plain"),
            "html": parts.get("text/html"),
        }
        with open(os.path.join(self.directory, "%04d.json" % self.count), "w") as f:
            json.dump(record, f)
        return "250 2.0.0 OK queued as %d" % self.count


def self_signed_context(directory):
    """A TLS context with a new self-signed certificate for 127.0.0.1; returns it and the PEM path."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = os.path.join(directory, "server.pem")
    key_path = os.path.join(directory, "server.key")
    with open(cert_path, "wb") as f:
        f.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context, cert_path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--auth")
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--login-only", action="store_true", help="offer AUTH LOGIN but not PLAIN")
    args = parser.parse_args()
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    options = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        options = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": False}
        if args.login_only:
            options["auth_exclude_mechanism"] = ["PLAIN"]
    announcement = {"port": port}
    if args.tls:
        context, announcement["certificate"] = self_signed_context(args.dir)
        options.update({"tls_context": context, "require_starttls": True})
    controller = Controller(Sink(args.dir), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print(json.dumps(announcement), flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
