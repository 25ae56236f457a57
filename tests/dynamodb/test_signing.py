"""The direct transport's SigV4 signing equals botocore's ``SigV4Auth``."""

from datetime import datetime, timezone
from unittest import mock
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials, ReadOnlyCredentials
from hypothesis import given, settings
from hypothesis import strategies as st

from services.dynamodb.transport.signing import CONTENT_TYPE, TARGET_PREFIX, Signer

KEY_TEXT = st.text(
    st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40
)
HOSTS = st.sampled_from(
    [
        "http://localhost:8000",
        "http://127.0.0.1:45123",
        "https://dynamodb.us-east-1.amazonaws.com",
        "https://dynamodb.eu-central-2.amazonaws.com:443",
        "http://Example.com:80",
        "http://[::1]:8000",
        "https://dynamodb-fips.us-gov-west-1.amazonaws.com",
        "http://localhost:4566/dynamodb/",
        "http://localhost:4566/a b/../c",
    ]
)
REGIONS = st.sampled_from(["us-east-1", "eu-central-2", "us-gov-west-1", "local"])
TARGETS = st.sampled_from(["GetItem", "PutItem", "Query", "TransactWriteItems"])
TIMES = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)
).map(lambda moment: moment.replace(microsecond=0, tzinfo=timezone.utc))
TOKENS = st.one_of(st.none(), KEY_TEXT, st.just("token with  inner   spaces"))


def botocore_headers(
    url: str,
    region: str,
    target: str,
    body: bytes,
    credentials: ReadOnlyCredentials,
    now: datetime,
) -> dict[str, str]:
    """The headers botocore's SigV4Auth adds to the same request."""
    request = AWSRequest(
        method="POST",
        url=url if urlsplit(url).path else url + "/",
        data=body,
        headers={"Content-Type": CONTENT_TYPE, "X-Amz-Target": TARGET_PREFIX + target},
    )
    signer = SigV4Auth(
        Credentials(
            credentials.access_key or "",
            credentials.secret_key or "",
            credentials.token,
        ),
        "dynamodb",
        region,
    )
    with mock.patch("botocore.auth.get_current_datetime", return_value=now):
        signer.add_auth(request)
    return dict(request.headers.items())


@settings(max_examples=300, deadline=None)
@given(
    url=HOSTS,
    region=REGIONS,
    target=TARGETS,
    body=st.binary(max_size=300),
    access_key=KEY_TEXT,
    secret_key=KEY_TEXT,
    token=TOKENS,
    now=TIMES,
)
def test_headers_equal_sigv4auth(
    url: str,
    region: str,
    target: str,
    body: bytes,
    access_key: str,
    secret_key: str,
    token: str | None,
    now: datetime,
) -> None:
    credentials = ReadOnlyCredentials(access_key, secret_key, token)
    expected = botocore_headers(url, region, target, body, credentials, now)

    signed = Signer(url, region).sign(target, body, credentials, now)

    assert signed == expected


def test_signing_key_is_cached_per_day_and_secret() -> None:
    signer = Signer("http://localhost:8000", "us-east-1")
    credentials = ReadOnlyCredentials("AKID", "secret", None)
    day_one = datetime(2026, 12, 3, 10, tzinfo=timezone.utc)
    day_two = datetime(2026, 12, 4, 10, tzinfo=timezone.utc)
    for now in (day_one, day_two):
        expected = botocore_headers(
            "http://localhost:8000/", "us-east-1", "GetItem", b"{}", credentials, now
        )
        assert signer.sign("GetItem", b"{}", credentials, now) == expected
    rotated = ReadOnlyCredentials("AKID", "rotated", None)
    expected = botocore_headers(
        "http://localhost:8000/", "us-east-1", "GetItem", b"{}", rotated, day_two
    )
    assert signer.sign("GetItem", b"{}", rotated, day_two) == expected
