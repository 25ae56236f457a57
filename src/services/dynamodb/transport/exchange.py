"""One DynamoDB call on the direct transport, as steps without I/O.

:meth:`Exchange.call` is a generator (the "sans-I/O" style of h11 and h2):
it yields :class:`Send` when a request must go out and :class:`Sleep` when
botocore's retry rules ask for a pause, receives the HTTP answer (or the
botocore exception the send raised), and returns the parsed answer or
raises what botocore's client would raise. A driver does the I/O: the
blocking one is :func:`.direct.drive`.

What it reuses from the service's botocore client, unchanged: the operation
models, the credentials (refreshed by botocore), the event hooks
``before-send`` (moto's ``mock_aws`` and the adaptive rate limiter answer
there), ``needs-retry`` (``retry_mode``'s rules, attempt count, backoff,
retry quota) and ``after-call`` (quota release, the final checksum check),
the JSON parser and the modeled exception classes.
"""

from collections.abc import Generator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HeadersDict
from botocore.credentials import ReadOnlyCredentials
from botocore.endpoint import convert_to_response_dict
from botocore.exceptions import HTTPClientError, NoCredentialsError
from botocore.handlers import generate_idempotent_uuid
from botocore.hooks import first_non_none_response

from ..codec.answers import CheckedParserFactory
from ..codec.documents import write_document
from ..sansio.steps import Sleep
from .http1 import HttpAnswer
from .endpoints import Endpoint, Endpoints
from .tracing import CallSpan


@dataclass(frozen=True)
class Send:
    """Send this request and reply with its :class:`~.http1.HttpAnswer`.

    Attributes:
        url: The URL it goes to (the endpoint resolved for it).
        headers: The signed headers.
        body: The JSON body.
    """

    url: str
    headers: dict[str, str]
    body: bytes


Step = Send | Sleep


class Answer:
    """An HTTP answer as botocore's parser, retry rules and hooks read an
    ``AWSResponse``: ``status_code``, ``headers`` (names in lower case, as
    botocore looks them up) and ``content``. Building a real ``AWSResponse``
    costs a case-insensitive header dict per answer."""

    __slots__ = ("url", "status_code", "headers", "content")

    def __init__(self, url: str, answer: HttpAnswer) -> None:
        """Args:
        url: The request's URL.
        answer: The answer read from the connection.
        """
        self.url = url
        self.status_code = answer.status
        self.headers = {name.lower(): value for name, value in answer.headers}
        self.content = answer.body


# Typed by botocore-stubs with headers that must be HTTPHeaders; this
# subclass builds them lazily, so it is checked against Any.
_PreparedRequest: Any = AWSPreparedRequest


class HookedRequest(_PreparedRequest):  # type: ignore[misc]
    """The request ``before-send`` hooks see: botocore's prepared request,
    whose case-insensitive headers are built only if a hook reads them
    (most calls have no hook: building them cost a tenth of a call)."""

    def __init__(self, url: str, headers: dict[str, str], body: bytes) -> None:
        """Args:
        url: The request's URL.
        headers: The signed headers.
        body: The JSON body.
        """
        self._plain = headers
        self._case_free: HeadersDict | None = None
        super().__init__("POST", url, None, body, False)

    @property
    def headers(self) -> HeadersDict:
        """botocore's ``headers``, built on first use."""
        if self._case_free is None:
            self._case_free = HeadersDict(self._plain)
        return self._case_free

    @headers.setter
    def headers(self, value: HeadersDict | None) -> None:
        if value is not None:
            self._case_free = value

    def sent_headers(self) -> dict[str, str]:
        """The headers to send, as the hooks left them."""
        if self._case_free is None:
            return self._plain
        return dict(self._case_free.items())


# An answer: read from the connection, or given by a before-send hook.
Response = Answer | AWSResponse


class Exchange:
    """Builds, signs and reads the data-path calls of one botocore client."""

    def __init__(self, client: Any, credentials: Any, user_agent: str) -> None:
        """Take what the calls reuse from the client.

        Args:
            client: The service's botocore DynamoDB client.
            credentials: botocore credentials (refreshed by botocore), or None.
            user_agent: The ``User-Agent`` header, built once.
        """
        meta = client.meta
        self._client = client
        self._credentials = credentials
        self._endpoints = Endpoints(client)
        self._events = meta.events
        self._service = meta.service_model
        self._parser = CheckedParserFactory().create_parser("json")
        self._agent = user_agent

    def call(
        self,
        operation: str,
        params: dict[str, Any],
        credentials: ReadOnlyCredentials | None = None,
    ) -> Generator[Step, HttpAnswer | None, dict[str, Any]]:
        """Run one call: attempts, retries, the answer or its error.

        Args:
            operation: The operation, e.g. ``"GetItem"``.
            params: Its parameters, DynamoDB JSON (blobs as bytes).
            credentials: Credentials to sign every attempt with (the async
                transport fetches them in a worker thread); by default,
                the client's, read at each attempt (refreshed by botocore).

        Returns:
            The parsed answer, as botocore's client returns it.

        Raises:
            botocore.exceptions.ClientError: The modeled class of an error
                answer (``service.exceptions``), after retries.
            botocore.exceptions.HTTPClientError: A network failure, after retries.
            botocore.exceptions.ConnectionError: A connection that could not
                be opened, after retries.
            botocore.exceptions.NoCredentialsError: If no credentials are found.
            botocore.exceptions.EndpointResolutionError: As boto3 raises it.
        """
        model = self._service.operation_model(operation)
        generate_idempotent_uuid(params=params, model=model)
        body = write_document(params)
        first = credentials or self._frozen()
        account = getattr(first, "account_id", None)  # botocore >= 1.35
        endpoint = self._endpoints.endpoint(model, params, account)
        span = CallSpan(operation, params, endpoint.url, endpoint.region)
        try:
            http, parsed = yield from self._attempts(
                model, body, endpoint, first, fixed=credentials is not None
            )
        except BaseException as error:
            span.failed(error)
            raise
        span.answered(http.status_code, parsed)
        if http.status_code >= 300:
            code = parsed.get("Error", {}).get("Code")
            raise self._client.exceptions.from_code(code)(parsed, operation)
        return parsed

    def _attempts(
        self,
        model: Any,
        body: bytes,
        endpoint: Endpoint,
        first: ReadOnlyCredentials,
        fixed: bool,
    ) -> Generator[Step, HttpAnswer | None, tuple[Response, dict[str, Any]]]:
        """Send until botocore's retry rules are satisfied; the last answer.

        The first attempt is signed with ``first`` (read to resolve the
        endpoint), later ones with the client's credentials read again,
        unless ``fixed``. As botocore's endpoint does, whatever sending
        raised is handed to the retry rules (``caught_exception``), which
        retry the network's failures and raise the rest."""
        context: dict[str, Any] = {}
        attempt = 0
        while True:
            attempt += 1
            http, error = None, None
            try:
                frozen = first if fixed or attempt == 1 else self._frozen()
                http = yield from self._attempt(model, body, endpoint, frozen)
            except Exception as caught:
                error = caught
            parsed = None if http is None else self._parse(http, model)
            delay = self._retry_delay(model, attempt, http, parsed, error, context)
            if delay is None:
                break
            yield Sleep(delay)
        if http is None or parsed is None:
            raise error or HTTPClientError(error="no answer")
        parsed.setdefault("ResponseMetadata", {})["RetryAttempts"] = attempt - 1
        self._events.emit(
            f"after-call.dynamodb.{model.name}",
            http_response=http,
            parsed=parsed,
            model=model,
            context=context,
        )
        return http, parsed

    def _attempt(
        self,
        model: Any,
        body: bytes,
        endpoint: Endpoint,
        credentials: ReadOnlyCredentials,
    ) -> Generator[Step, HttpAnswer | None, Response]:
        """One signed request: answered by a ``before-send`` hook, or sent."""
        now = datetime.now(timezone.utc)
        headers = {
            "Host": endpoint.signer.host,
            "User-Agent": self._agent,
            **endpoint.headers,
            **endpoint.signer.sign(model.name, body, credentials, now),
        }
        request = HookedRequest(endpoint.url, headers, body)
        hooked = first_non_none_response(
            self._events.emit(f"before-send.dynamodb.{model.name}", request=request)
        )
        if hooked is not None:
            return hooked  # type: ignore[no-any-return]
        # As botocore sends it: a before-send hook may have changed it.
        sent = request.body
        if isinstance(sent, str):
            sent = sent.encode()
        answer = yield Send(
            endpoint.url,
            request.sent_headers(),
            bytes(sent) if isinstance(sent, (bytes, bytearray)) else body,
        )
        assert answer is not None
        return Answer(endpoint.url, answer)

    def _frozen(self) -> ReadOnlyCredentials:
        """The client's credentials now (botocore refreshes them)."""
        credentials = self._credentials
        if credentials is None:
            raise NoCredentialsError()
        frozen: ReadOnlyCredentials = credentials.get_frozen_credentials()
        return frozen

    def _parse(self, http: Response, model: Any) -> dict[str, Any]:
        """The answer parsed as botocore's endpoint parses it."""
        response = convert_to_response_dict(http, model)
        parsed: dict[str, Any] = self._parser.parse(response, model.output_shape)
        if http.status_code >= 300:
            code = parsed.get("Error", {}).get("Code")
            shape = None if code is None else self._service.shape_for_error_code(code)
            if shape is not None:
                parsed.update(self._parser.parse(response, shape))
        return parsed

    def _retry_delay(
        self,
        model: Any,
        attempt: int,
        http: Response | None,
        parsed: dict[str, Any] | None,
        error: Exception | None,
        context: dict[str, Any],
    ) -> float | None:
        """Ask the client's ``needs-retry`` hooks: seconds to wait, or None."""
        responses = self._events.emit(
            f"needs-retry.dynamodb.{model.name}",
            response=None if http is None else (http, parsed),
            endpoint=None,
            operation=model,
            attempts=attempt,
            caught_exception=error,
            request_dict={"context": context},
        )
        delay = first_non_none_response(responses)
        return None if delay is None or delay is False else float(delay)
