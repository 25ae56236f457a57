"""TLS in front of a plain-HTTP server, and a CONNECT proxy, both on loopback.

:class:`TlsFront` terminates TLS with a certificate for ``localhost`` signed
by a throwaway CA (written to :attr:`TlsFront.ca_file`, for
``AWS_CA_BUNDLE``) and pipes the bytes to the server. :class:`ConnectProxy`
answers ``CONNECT host:port`` by opening a tunnel, as an HTTPS proxy does,
and records each target it tunnelled to.
"""

import datetime
import ipaddress
import selectors
import socket
import ssl
import threading
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

BUFFER = 65536


def _relay(one: socket.socket, other: socket.socket) -> None:
    """Copy bytes both ways, in this one thread, until either side closes.

    One thread for both directions: an SSL socket read by one thread while
    another writes to it or shuts it down can crash OpenSSL (it did, with a
    segmentation fault, when each direction had a thread of its own).
    """
    selector = selectors.DefaultSelector()
    selector.register(one, selectors.EVENT_READ, other)
    selector.register(other, selectors.EVENT_READ, one)
    try:
        while True:
            for key, _ in selector.select():
                if not _copy(key.fileobj, key.data):  # type: ignore[arg-type]
                    return
    except OSError:
        pass
    finally:
        selector.close()
        for side in (one, other):
            try:
                side.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _copy(source: socket.socket, target: socket.socket) -> bool:
    """Copy what ``source`` has (all of an SSL socket's decrypted bytes);
    False once it is closed."""
    while True:
        data = source.recv(BUFFER)
        if not data:
            return False
        target.sendall(data)
        if not isinstance(source, ssl.SSLSocket) or not source.pending():
            return True


def _join(client: socket.socket, upstream: socket.socket) -> None:
    """Relay both ways in a daemon thread."""
    threading.Thread(target=_relay, args=(client, upstream), daemon=True).start()


class _Listener:
    """A loopback listening socket served by a daemon thread."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(client,), daemon=True).start()

    def handle(self, client: socket.socket) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        self.sock.close()


class TlsFront(_Listener):
    """``https://localhost:<port>`` for a plain server at ``upstream``."""

    def __init__(self, upstream: tuple[str, int], directory: Path) -> None:
        self.upstream = upstream
        self.ca_file = directory / "ca.pem"
        self.context = server_context(directory, self.ca_file)
        super().__init__()
        self.url = "https://localhost:%d" % self.port

    def handle(self, client: socket.socket) -> None:
        try:
            secure = self.context.wrap_socket(client, server_side=True)
        except (OSError, ssl.SSLError):
            client.close()
            return
        _join(secure, socket.create_connection(self.upstream))


class ConnectProxy(_Listener):
    """An HTTP proxy that only tunnels (``CONNECT``)."""

    def __init__(self) -> None:
        self.tunnels: list[str] = []
        super().__init__()
        self.url = "http://127.0.0.1:%d" % self.port

    def handle(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            data = client.recv(BUFFER)
            if not data:
                client.close()
                return
            head += data
        method, target = head.split(b" ", 2)[:2]
        if method != b"CONNECT":
            client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            client.close()
            return
        host, port = target.decode().rsplit(":", 1)
        self.tunnels.append(target.decode())
        upstream = socket.create_connection((host, int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        _join(client, upstream)


def server_context(
    directory: Path, ca_file: Path, addresses: Sequence[str] = ()
) -> ssl.SSLContext:
    """A server TLS context for localhost (and IP ``addresses``), signed by
    a throwaway CA whose certificate is written to ``ca_file``."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test CA")])
    ca = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    certificate = _certificate(
        name, ca_name, key.public_key(), ca_key, ca=False, addresses=addresses
    )
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    chain = directory / "server.pem"
    chain.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        + certificate.public_bytes(serialization.Encoding.PEM)
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain)
    return context


def _certificate(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    signing_key: ec.EllipticCurvePrivateKey,
    ca: bool,
    addresses: Sequence[str] = (),
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        # Not 127.0.0.1 unless asked: for host-name checks.
        names: list[x509.GeneralName] = [x509.DNSName("localhost")]
        names += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in addresses]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), False)
    return builder.sign(signing_key, hashes.SHA256())
