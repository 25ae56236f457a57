"""Conformance: each hostile or failing wire × each path, botocore the oracle.

Every case runs on the three paths of :data:`~tests.conformance.harness.PATHS`:
the blocking service on the direct transport, the async service, and the
blocking service on ``transport="botocore"`` (botocore's own client, the
oracle). Each asserts the outcome (the result, or the exception's class) and
the attempts: requests the server read, or, for a connection that never
carries a request, ``connect()`` calls, CONNECTs at the proxy or TLS
handshakes. The direct and async paths are expected to do what botocore
does; where botocore is known to be wrong, they are expected to be right,
the botocore parameter pins what botocore does, and its id says
``botocore_wrong`` (a botocore upgrade that changes it shows up here).

Settings (see :mod:`tests.conformance.harness`): ``max_attempts=4``,
``retry_mode="standard"``, backoff made 1 ms (``conftest.quick_backoff``),
timeouts of at most 0.5 s.
"""

import itertools

import pytest

from tests.conformance.harness import (
    ATTEMPTS,
    BODY_A,
    FORGED,
    GET_A,
    GET_B,
    ITEM_A,
    PATHS,
    PING_THEN_CLOSE,
    SHORT,
    TABLE,
    Connects,
    Failed,
    Services,
    expected,
    get,
    gets,
    head_of,
    outcome,
    paths_where_botocore_is_wrong,
)
from tests.conformance.wire_server import (
    Close,
    Hold,
    Pause,
    Reply,
    Request,
    Reset,
    Send,
    TlsFiles,
    Trickle,
    Tunnel,
    WireProxy,
    WireServer,
    chunked,
    dynamodb_answer,
    dynamodb_error,
    dynamodb_headers,
    http_answer,
    wait_until,
)

DYNAMODB = "com.amazonaws.dynamodb.v20120810#"

# Wrong answers: bytes after an answer must never be read as the next one.


@pytest.mark.parametrize("path", PATHS)
def test_a_second_answer_in_the_same_write_is_never_read(
    path: str, server: WireServer, services: Services
) -> None:
    server.answer((Send(GET_A + dynamodb_answer(FORGED)),), (Send(GET_B),))
    service = services.open(path, server.url)

    first, second = outcome(lambda: get(service)), outcome(lambda: get(service))

    assert (first, second, gets(server)) == ({"pk": "a"}, {"pk": "b"}, 2)


@pytest.mark.parametrize(
    "path", paths_where_botocore_is_wrong("reuses_a_connection_with_stray_bytes")
)
def test_a_second_answer_split_across_writes_spoils_the_connection(
    path: str, server: WireServer, services: Services
) -> None:
    """The answer and the start of another arrive together, the rest of the
    other later (after the next request went out): a connection that had
    bytes after its answer must not carry the next request, whose answer
    would start with the rest (an extra attempt, or a write applied twice).
    botocore drops the stray bytes with ``http.client``'s buffer and reuses
    the connection: its next answer is garbage, and retried."""
    forged = dynamodb_answer(FORGED)
    server.answer((Send(GET_A + forged[:20]), Pause(0.1), Send(forged[20:])))
    server.default = (Send(GET_B),)
    service = services.open(path, server.url)

    first, second = outcome(lambda: get(service)), outcome(lambda: get(service))

    assert (first, second, gets(server)) == expected(
        path, ({"pk": "a"}, {"pk": "b"}, 2), botocore=({"pk": "a"}, {"pk": "b"}, 3)
    )


@pytest.mark.parametrize("path", PATHS)
def test_a_crlf_after_each_answer_applies_each_add_once(
    path: str, server: WireServer, services: Services
) -> None:
    """A server that writes CRLF after each answer (as some proxies do): each
    ADD is sent once; a spoiled connection would fail the next call, which
    would be retried, and the ADD applied twice."""
    counter = itertools.count(1)

    def added(request: Request) -> bytes:
        hits = {"N": str(next(counter))}
        return dynamodb_answer({"Attributes": {"pk": {"S": "a"}, "hits": hits}})

    server.auto["ListTables"] = (Send(dynamodb_answer({"TableNames": []}) + b"\r\n"),)
    server.default = (Reply(lambda request: added(request) + b"\r\n"),)
    service = services.open(path, server.url)

    def add() -> object:
        answer = service.update_item(
            {"pk": "a"}, "ADD hits :one", {":one": 1}, table_name=TABLE
        )
        return int(answer["hits"])

    hits = [outcome(add) for _ in range(6)]

    assert (hits, len(server.requests_for("UpdateItem"))) == ([1, 2, 3, 4, 5, 6], 6)


@pytest.mark.parametrize("pieces", [None, 3], ids=["whole", "in_3_byte_pieces"])
@pytest.mark.parametrize("path", PATHS)
def test_a_chunked_answer_with_a_trailer_is_read_to_its_end(
    path: str, pieces: int | None, server: WireServer, services: Services
) -> None:
    headers = dynamodb_headers(BODY_A, extra=[("Transfer-Encoding", "chunked")])
    body = chunked(BODY_A, 3, trailer=[("X-Checked", "yes"), ("X-More", "1")])
    answer = http_answer(200, headers, body, length=False)
    sent = Send(answer) if pieces is None else Trickle(answer, pieces, 0.0005)
    server.answer((sent,), (Send(GET_B),))
    service = services.open(path, server.url)

    first, second = outcome(lambda: get(service)), outcome(lambda: get(service))

    assert (first, second, gets(server)) == ({"pk": "a"}, {"pk": "b"}, 2)


@pytest.mark.parametrize("path", PATHS)
def test_an_answer_in_small_pieces_is_read_whole(
    path: str, server: WireServer, services: Services
) -> None:
    server.answer((Trickle(GET_A, piece=7, delay=0.001),), (Send(GET_B),))
    service = services.open(path, server.url)

    first, second = outcome(lambda: get(service)), outcome(lambda: get(service))

    assert (first, second, gets(server)) == ({"pk": "a"}, {"pk": "b"}, 2)


# Interim answers (RFC 9110, section 15.2): any number of 1xx before the answer.

CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
EARLY_HINTS = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"


@pytest.mark.parametrize("path", PATHS)
def test_several_100_continue_before_the_answer_are_skipped(
    path: str, server: WireServer, services: Services
) -> None:
    server.answer((Send(CONTINUE * 3 + GET_A),), (Send(GET_B),))
    service = services.open(path, server.url)

    first, second = outcome(lambda: get(service)), outcome(lambda: get(service))

    assert (first, second, gets(server)) == ({"pk": "a"}, {"pk": "b"}, 2)


@pytest.mark.parametrize("path", paths_where_botocore_is_wrong("takes_103_as_final"))
def test_103_early_hints_and_100_continue_before_the_answer_are_skipped(
    path: str, server: WireServer, services: Services
) -> None:
    """botocore (``http.client``) skips ``100`` only: it takes the ``103``
    as the final answer, with an empty body (which the service refuses as
    ``ResponseParserError``, not retried), and the real answer is dropped
    with the connection (urllib3 sees it readable)."""
    server.answer(
        (Send(EARLY_HINTS + CONTINUE + EARLY_HINTS + CONTINUE + GET_A),),
        (Send(GET_B),),
    )
    service = services.open(path, server.url)

    first, second = outcome(lambda: get(service)), outcome(lambda: get(service))

    assert (first, second, gets(server)) == expected(
        path,
        ({"pk": "a"}, {"pk": "b"}, 2),
        botocore=(Failed("ResponseParserError"), {"pk": "b"}, 2),
    )


# Connect-phase failures: retried as botocore retries them.


@pytest.mark.parametrize("path", PATHS)
def test_a_refused_connection_is_retried(
    path: str, server: WireServer, services: Services, connects: Connects
) -> None:
    server.auto["ListTables"] = PING_THEN_CLOSE
    service = services.open(path, server.url)
    assert wait_until(lambda: server.open_now == 0)
    server.refuse()
    before = connects.count(server.port)

    result = outcome(lambda: get(service))

    attempts = connects.count(server.port) - before
    assert (result, attempts) == (Failed("EndpointConnectionError"), ATTEMPTS)


@pytest.mark.parametrize("path", PATHS)
def test_a_connect_timeout_is_retried(
    path: str, server: WireServer, services: Services, connects: Connects
) -> None:
    """The server's accept queue is full, so that Linux drops each SYN: a
    deterministic connect timeout on loopback."""
    server.auto["ListTables"] = PING_THEN_CLOSE
    service = services.open(path, server.url, connect_timeout_seconds=SHORT)
    assert wait_until(lambda: server.open_now == 0)
    server.stall()
    before = connects.count(server.port)

    result = outcome(lambda: get(service))

    attempts = connects.count(server.port) - before
    assert (result, attempts) == (Failed("ConnectTimeoutError"), ATTEMPTS)


@pytest.mark.parametrize("path", PATHS)
def test_a_tls_failure_is_retried(
    path: str,
    tls: TlsFiles,
    untrusted_tls: TlsFiles,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After the ping, the server shows a certificate of a CA nobody trusts."""
    monkeypatch.setenv("AWS_CA_BUNDLE", str(tls.ca_file))
    with WireServer(tls=tls.context, ping=PING_THEN_CLOSE) as server:
        service = services.open(path, server.url)
        assert wait_until(lambda: server.open_now == 0)
        server.tls = untrusted_tls.context
        before = server.connections

        result = outcome(lambda: get(service))

        assert wait_until(lambda: server.open_now == 0)
        attempts = server.connections - before
    assert (result, attempts, gets(server)) == (Failed("SSLError"), ATTEMPTS, 0)


# Failures after the request is sent.


@pytest.mark.parametrize("path", PATHS)
def test_a_reset_before_the_headers_is_retried(
    path: str, server: WireServer, services: Services
) -> None:
    server.default = (Reset(),)
    service = services.open(path, server.url)

    result = outcome(lambda: get(service))

    assert (result, gets(server)) == (Failed("ConnectionClosedError"), ATTEMPTS)


@pytest.mark.parametrize("path", PATHS)
def test_a_reset_after_the_headers_is_retried(
    path: str, server: WireServer, services: Services
) -> None:
    server.default = (Send(head_of(GET_A) + BODY_A[:5]), Pause(0.05), Reset())
    service = services.open(path, server.url)

    result = outcome(lambda: get(service))

    assert (result, gets(server)) == (Failed("ConnectionClosedError"), ATTEMPTS)


@pytest.mark.parametrize("path", PATHS)
def test_a_reset_then_an_answer_succeeds(
    path: str, server: WireServer, services: Services
) -> None:
    server.answer((Reset(),))
    server.default = (Send(GET_A),)
    service = services.open(path, server.url)

    assert (outcome(lambda: get(service)), gets(server)) == ({"pk": "a"}, 2)


@pytest.mark.parametrize("path", PATHS)
def test_a_read_timeout_is_retried(
    path: str, server: WireServer, services: Services
) -> None:
    server.default = (Hold(),)
    service = services.open(path, server.url, read_timeout_seconds=SHORT)

    result = outcome(lambda: get(service))

    assert (result, gets(server)) == (Failed("ReadTimeoutError"), ATTEMPTS)


@pytest.mark.parametrize("path", PATHS)
def test_an_answer_stalled_midway_is_a_read_timeout(
    path: str, server: WireServer, services: Services
) -> None:
    server.default = (Send(head_of(GET_A) + BODY_A[:5]), Hold())
    service = services.open(path, server.url, read_timeout_seconds=SHORT)

    result = outcome(lambda: get(service))

    assert (result, gets(server)) == (Failed("ReadTimeoutError"), ATTEMPTS)


# Error answers.

STATUS_CASES = [
    pytest.param(
        dynamodb_error(500, DYNAMODB + "InternalServerError"),
        "InternalServerError",
        id="500",
    ),
    pytest.param(
        http_answer(503, [("Content-Type", "text/plain")], b"Service Unavailable"),
        "ClientError",
        id="503_plain_text",
    ),
    pytest.param(
        dynamodb_error(400, "com.amazon.coral.availability#ThrottlingException"),
        "ThrottlingException",
        id="400_throttling",
    ),
    pytest.param(
        dynamodb_error(400, DYNAMODB + "ProvisionedThroughputExceededException"),
        "ProvisionedThroughputExceededException",
        id="400_provisioned_throughput",
    ),
]


@pytest.mark.parametrize("answer, error", STATUS_CASES)
@pytest.mark.parametrize("path", PATHS)
def test_a_retryable_error_answer_is_retried(
    path: str, answer: bytes, error: str, server: WireServer, services: Services
) -> None:
    server.default = (Send(answer),)
    service = services.open(path, server.url)

    assert (outcome(lambda: get(service)), gets(server)) == (Failed(error), ATTEMPTS)


@pytest.mark.parametrize("answer, error", STATUS_CASES)
@pytest.mark.parametrize("path", PATHS)
def test_a_retryable_error_answer_then_the_answer_succeeds(
    path: str, answer: bytes, error: str, server: WireServer, services: Services
) -> None:
    server.answer((Send(answer),), (Send(answer),))
    server.default = (Send(GET_A),)
    service = services.open(path, server.url)

    assert (outcome(lambda: get(service)), gets(server)) == ({"pk": "a"}, 3)


@pytest.mark.parametrize("path", PATHS)
def test_a_bad_crc32_is_retried_then_refused(
    path: str, server: WireServer, services: Services
) -> None:
    server.default = (Send(dynamodb_answer(ITEM_A, crc32=12345)),)
    service = services.open(path, server.url)

    result = outcome(lambda: get(service))

    assert (result, gets(server)) == (Failed("ResponseParserError"), ATTEMPTS)


@pytest.mark.parametrize("path", PATHS)
def test_a_bad_crc32_then_a_good_answer_succeeds(
    path: str, server: WireServer, services: Services
) -> None:
    server.answer((Send(dynamodb_answer(FORGED, crc32=12345)),))
    server.default = (Send(GET_A),)
    service = services.open(path, server.url)

    assert (outcome(lambda: get(service)), gets(server)) == ({"pk": "a"}, 2)


# Hostile sizes: the answer is cut off by a close; the call is retried and
# the next answer (a good one) is its result. botocore retries them all; on
# its path, the service's own ``needs-retry`` hook (``raise_interrupts``)
# re-raises the ``ValueError`` that ``http.client`` raises for a negative
# chunk size instead of letting botocore retry it: that parameter fails on
# the botocore path because of the library, not botocore.

CHUNKED_HEAD = head_of(
    http_answer(
        200,
        dynamodb_headers(BODY_A, extra=[("Transfer-Encoding", "chunked")]),
        length=False,
    )
)


def with_length(length: str, body: bytes = BODY_A[:9]) -> bytes:
    """GetItem's answer head with this ``Content-Length``, then ``body``
    (by default the first bytes of the answer's body, so that what arrived
    is not a whole answer: botocore's crc32 check retries it)."""
    headers = [*dynamodb_headers(BODY_A), ("Content-Length", length)]
    return http_answer(200, headers, body, length=False)


HOSTILE_SIZES = [
    pytest.param(with_length("99999999999999999999"), id="content_length_over_2^64"),
    pytest.param(with_length("18446744073709551615"), id="content_length_2^64-1"),
    pytest.param(with_length("1000000000000000"), id="content_length_1e15"),
    pytest.param(
        CHUNKED_HEAD + b"fffffffffffffffffffff\r\n" + BODY_A, id="chunk_size_over_2^64"
    ),
    pytest.param(CHUNKED_HEAD + b"4000000000000\r\n" + BODY_A, id="chunk_size_2^50"),
    pytest.param(CHUNKED_HEAD + b"-5\r\n" + BODY_A, id="chunk_size_negative"),
]


@pytest.mark.parametrize("answer", HOSTILE_SIZES)
@pytest.mark.parametrize("path", PATHS)
def test_a_hostile_size_is_retried(
    path: str, answer: bytes, server: WireServer, services: Services
) -> None:
    server.answer((Send(answer), Close()))
    server.default = (Send(GET_A),)
    service = services.open(path, server.url)

    assert (outcome(lambda: get(service)), gets(server)) == ({"pk": "a"}, 2)


@pytest.mark.parametrize(
    "path", paths_where_botocore_is_wrong("accepts_an_answer_short_of_its_length")
)
def test_an_answer_short_of_its_content_length_is_retried(
    path: str, server: WireServer, services: Services
) -> None:
    """The whole body, but a ``Content-Length`` larger than it, then a close:
    the answer is incomplete (RFC 9112, section 8). botocore sends with
    ``enforce_content_length=False`` and takes it as complete (its crc32
    matches, so the item is right, but another answer cut short with no
    crc32 would be taken too)."""
    server.answer((Send(with_length(str(len(BODY_A) + 100), BODY_A)), Close()))
    server.default = (Send(GET_B),)
    service = services.open(path, server.url)

    assert (outcome(lambda: get(service)), gets(server)) == expected(
        path, ({"pk": "b"}, 2), botocore=({"pk": "a"}, 1)
    )


# A proxy's failures to open a CONNECT tunnel (https endpoint, HTTPS_PROXY).

PROXY_REFUSALS = [
    pytest.param(
        http_answer(
            407,
            [("Proxy-Authenticate", 'Basic realm="proxy"'), ("Connection", "close")],
        ),
        "ProxyConnectionError",
        id="407",
    ),
    pytest.param(
        http_answer(502, [("Connection", "close")]), "ProxyConnectionError", id="502"
    ),
    # http.client's BadStatusLine, which botocore reports as a closed connection.
    pytest.param(b"SPAM SPAM SPAM\r\n\r\n", "ConnectionClosedError", id="garbage"),
]


@pytest.mark.parametrize("refusal, error", PROXY_REFUSALS)
@pytest.mark.parametrize("path", PATHS)
def test_a_proxy_refusing_the_tunnel_is_retried(
    path: str,
    refusal: bytes,
    error: str,
    tls: TlsFiles,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The ping goes through the tunnel; the case's CONNECTs are refused."""
    monkeypatch.setenv("AWS_CA_BUNDLE", str(tls.ca_file))
    with (
        WireServer(tls=tls.context, ping=PING_THEN_CLOSE) as endpoint,
        WireProxy() as proxy,
    ):
        proxy.answer((Tunnel(endpoint.address),))
        proxy.default = (Send(refusal), Close())
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        service = services.open(path, endpoint.url)
        assert wait_until(lambda: proxy.open_now == 0 and endpoint.open_now == 0)

        result = outcome(lambda: get(service))

    assert len(endpoint.requests_for("ListTables")) == 1  # through the tunnel
    assert (result, len(proxy.connect_requests) - 1, gets(endpoint)) == (
        Failed(error),
        ATTEMPTS,
        0,
    )
