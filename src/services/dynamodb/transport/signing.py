"""AWS Signature Version 4 for DynamoDB's JSON requests, without I/O.

botocore's ``SigV4Auth`` derives the signing key (four HMACs) and walks the
request's headers on every call. Every data-path request of this library
has the same method, path, host and header names, so :class:`Signer` builds
those parts of the canonical request once and caches the signing key per
day and secret; what is left per request is one SHA-256 of the body and
two HMACs. ``tests/dynamodb/test_signing.py`` shows, for random requests,
that the headers are exactly those ``SigV4Auth`` adds.
"""

import hashlib
import hmac
from datetime import datetime
from urllib.parse import quote, urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials
from botocore.utils import is_valid_ipv6_endpoint_url, normalize_url_path

ALGORITHM = "AWS4-HMAC-SHA256"
CONTENT_TYPE = "application/x-amz-json-1.0"
TARGET_PREFIX = "DynamoDB_20120810."
DEFAULT_PORTS = {"http": 80, "https": 443}


def host_header(url: str) -> str:
    """The ``Host`` header of a URL as SigV4 signs it: the port only when it
    is not the scheme's default, an IPv6 address in brackets.

    Args:
        url: The endpoint URL.

    Returns:
        E.g. ``"localhost:8000"`` or ``"dynamodb.us-east-1.amazonaws.com"``.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if is_valid_ipv6_endpoint_url(url):
        host = f"[{host}]"
    if parts.port is not None and parts.port != DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{parts.port}"
    return host


def request_path(url: str) -> str:
    """The path requests to an endpoint go to: its own, or ``/``."""
    return urlsplit(url).path or "/"


class Signer:
    """Signs DynamoDB JSON requests to one endpoint, region and service."""

    def __init__(self, url: str, region: str, service: str = "dynamodb") -> None:
        """Build the parts of the canonical request every request shares.

        Args:
            url: The endpoint URL requests go to.
            region: The region to sign for.
            service: The signing name.
        """
        self.host = host_header(url)
        self._region = region
        self._service = service
        path = quote(normalize_url_path(request_path(url)), safe="/~")
        # The query of an endpoint URL (rare) is canonicalized as botocore does.
        query = SigV4Auth(
            ReadOnlyCredentials("", "", None), service, region
        ).canonical_query_string(AWSRequest(method="POST", url=url))
        self._prefix = f"POST\n{path}\n{query}\ncontent-type:{CONTENT_TYPE}\n"
        self._keys: dict[tuple[str, str], bytes] = {}

    def sign(
        self,
        target: str,
        body: bytes,
        credentials: ReadOnlyCredentials,
        now: datetime,
    ) -> dict[str, str]:
        """The headers of a signed request.

        Args:
            target: The operation, e.g. ``"GetItem"``.
            body: The JSON body.
            credentials: Frozen credentials to sign with.
            now: The signing time (UTC).

        Returns:
            ``Content-Type``, ``X-Amz-Target``, ``X-Amz-Date``,
            ``X-Amz-Security-Token`` (with a session token) and ``Authorization``.
        """
        stamp = _stamp(now)
        day = stamp[:8]
        token = credentials.token
        full_target = TARGET_PREFIX + target
        signed = "content-type;host;x-amz-date"
        canonical = (
            f"{self._prefix}host:{self.host}\nx-amz-date:{stamp}\n"
            + (f"x-amz-security-token:{' '.join(token.split())}\n" if token else "")
            + f"x-amz-target:{full_target}\n\n{signed}"
            + (";x-amz-security-token" if token else "")
            + ";x-amz-target\n"
            + hashlib.sha256(body).hexdigest()
        )
        scope = f"{day}/{self._region}/{self._service}/aws4_request"
        string_to_sign = (
            f"{ALGORITHM}\n{stamp}\n{scope}\n"
            + hashlib.sha256(canonical.encode()).hexdigest()
        )
        key = self._signing_key(credentials.secret_key or "", day)
        signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": CONTENT_TYPE,
            "X-Amz-Target": full_target,
            "X-Amz-Date": stamp,
        }
        if token:
            headers["X-Amz-Security-Token"] = token
            signed += ";x-amz-security-token"
        headers["Authorization"] = (
            f"{ALGORITHM} Credential={credentials.access_key}/{scope}, "
            f"SignedHeaders={signed};x-amz-target, Signature={signature}"
        )
        return headers

    def _signing_key(self, secret: str, day: str) -> bytes:
        """The day's signing key, derived once per secret and day."""
        key = self._keys.get((secret, day))
        if key is None:
            key = ("AWS4" + secret).encode()
            for part in (day, self._region, self._service, "aws4_request"):
                key = hmac.new(key, part.encode(), hashlib.sha256).digest()
            if len(self._keys) > 8:
                self._keys.clear()
            self._keys[(secret, day)] = key
        return key


def _stamp(now: datetime) -> str:
    """``now`` as ``X-Amz-Date`` writes it (``%Y%m%dT%H%M%SZ``), without
    strftime."""
    return "%04d%02d%02dT%02d%02d%02dZ" % (
        now.year,
        now.month,
        now.day,
        now.hour,
        now.minute,
        now.second,
    )
