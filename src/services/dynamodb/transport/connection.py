"""The service's botocore client: its own session, checked answers, fork safety.

Each service has its own botocore session, so that its answer checks (see
:mod:`..codec.answers`) reach no other client in the process. A process forked from
the one that built the client (gunicorn ``--preload``, multiprocessing) must
never use the parent's open connections, or two processes read each other's
answers; the client is therefore rebuilt, with its own connection pool, the
first time it is used in a new process.
"""

import http.client
import os
import threading
from typing import Any

import botocore.session
import urllib3.exceptions
from botocore.config import Config
from botocore.exceptions import HTTPClientError, NoRegionError
from botocore.loaders import create_loader
from botocore.parsers import ResponseParserFactory

from ..codec.answers import CheckedParserFactory, refuse_damaged_answer
from .direct import BotocoreTransport, DirectTransport, Transport, https_proxy
from ..codec.redaction import redact_from_botocore_logs
from .tracers import botocore_tracer
from ..dynamodb_models import REGION_PATTERN, DynamoDBConfig

ERROR_NO_REGION = (
    "no AWS region: pass DynamoDBConfig(region_name=...), or set AWS_REGION or "
    "AWS_DEFAULT_REGION, or a region in the AWS profile"
)
ERROR_REGION_FOUND = (
    "the AWS region found in the environment or profile does not look like "
    "one such as 'us-east-1'"
)
REASON_TRACER = "%s wraps it, and would not see the direct transport's calls"
REASON_HTTPS_PROXY = "the proxy is an https:// URL, which only it can use"
_LOADERS: dict[str | None, Any] = {}
_LOADERS_LOCK = threading.Lock()
# What a failed send raises below botocore when the network, not the program,
# failed: botocore retries these (wrapped as HTTPClientError and subclasses).
# http.client raises ValueError and OverflowError for hostile sizes (a
# negative or huge chunk size, a huge Content-Length).
NETWORK_ERRORS = (
    OSError,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    ValueError,
    OverflowError,
)


class Connection:
    """A botocore DynamoDB client, and the transport of data-path calls,
    never shared across processes."""

    def __init__(self, config: DynamoDBConfig, asynchronous: bool = False) -> None:
        """Build the client (no request is sent).

        Args:
            config: Connection settings.
            asynchronous: Build the async service's transport, whose ``call``
                and ``close`` are awaited.
        """
        self._config = config
        self._asynchronous = asynchronous
        self._lock = threading.Lock()
        self._pid = os.getpid()
        # Why transport="auto" took botocore's client, if it did.
        self.auto_botocore: str | None = None
        self._client, self._transport = self._build()
        self._plain_client: Any = None
        self._service_clients: dict[str, Any] = {}

    @property
    def client(self) -> Any:
        """The client of this process, rebuilt after a fork."""
        self._rebuild_after_fork()
        return self._client

    @property
    def plain_client(self) -> Any:
        """A plain botocore client of the same configuration and session
        (its exception classes are the service client's), built on first
        use: botocore's own answer parsing (DynamoDB JSON, no item decoding,
        no answer checks beyond botocore's) and parameter validation on."""
        self._rebuild_after_fork()
        with self._lock:
            if self._plain_client is None:
                session = self._session
                # Clients take the parser factory their session has when
                # they are built: botocore's own, for this one only.
                session.register_component(
                    "response_parser_factory", ResponseParserFactory()
                )
                try:
                    self._plain_client = self._new_client(validation=True)
                finally:
                    session.register_component(
                        "response_parser_factory", CheckedParserFactory()
                    )
            return self._plain_client

    def client_for(self, service: str) -> Any:
        """A botocore client of another service (``"dynamodbstreams"``) with
        the same configuration, session and answer checks, built on first
        use."""
        self._rebuild_after_fork()
        with self._lock:
            client = self._service_clients.get(service)
            if client is None:
                client = self._new_client(validation=True, service=service)
                event = client.meta.service_model.service_id.hyphenize()
                client.meta.events.register(
                    "after-call." + event, refuse_damaged_answer
                )
                client.meta.events.register_first(
                    "needs-retry." + event, raise_interrupts
                )
                self._service_clients[service] = client
            return client

    @property
    def region(self) -> str:
        """The region the client talks to (configured, or found)."""
        return str(self._client.meta.region_name)

    @property
    def session(self) -> botocore.session.Session:
        """The botocore session the client was built from (this process's)."""
        self._rebuild_after_fork()
        return self._session

    @property
    def transport(self) -> Transport:
        """The data-path transport of this process, rebuilt after a fork."""
        self._rebuild_after_fork()
        return self._transport

    def close(self) -> None:
        """Close the connections of both the client and the (blocking)
        transport; the async service awaits its transport's ``close``."""
        if not self._asynchronous:
            self._transport.close()
        self._client.close()
        if self._plain_client is not None:
            self._plain_client.close()
        for client in self._service_clients.values():
            client.close()

    def _rebuild_after_fork(self) -> None:
        if self._pid != os.getpid():
            with self._lock:
                if self._pid != os.getpid():
                    self._client, self._transport = self._build()
                    self._plain_client = None
                    self._service_clients = {}
                    self._pid = os.getpid()

    def _new_client(self, validation: bool, service: str = "dynamodb") -> Any:
        """A client of the configuration on this process's session."""
        config, session = self._config, self._session
        secret = config.aws_secret_access_key
        token = config.aws_session_token
        return session.create_client(
            service,
            region_name=resolve_region(session, config.region_name),
            endpoint_url=config.endpoint_url,
            aws_access_key_id=config.aws_access_key_id,
            aws_secret_access_key=None if secret is None else secret.get_secret_value(),
            aws_session_token=None if token is None else token.get_secret_value(),
            config=Config(
                connect_timeout=config.connect_timeout_seconds,
                read_timeout=config.read_timeout_seconds,
                max_pool_connections=config.max_pool_connections,
                parameter_validation=validation,
                retries=retry_settings(config),  # type: ignore[arg-type]
            ),
        )

    def _build(self) -> tuple[Any, Transport]:
        config = self._config
        session = self._session = botocore.session.Session()
        session.register_component("data_loader", shared_loader(session))
        session.register_component("response_parser_factory", CheckedParserFactory())
        # Data-path requests are built by the library from values it has
        # checked; table operations are validated explicitly
        # (ServiceCore._validated). See docs/performance.md.
        client = self._new_client(validation=False)
        client.meta.events.register("after-call.dynamodb", refuse_damaged_answer)
        client.meta.events.register_first("needs-retry.dynamodb", raise_interrupts)
        redact_from_botocore_logs(self, _credential_secrets(session, config))
        kind = config.transport
        if kind == "auto":
            self.auto_botocore = _needs_botocore(client, session)
            kind = "direct" if self.auto_botocore is None else "botocore"
        if self._asynchronous:
            return client, async_transport(client, session, config, kind)
        if kind == "botocore":
            return client, BotocoreTransport(client)
        return client, DirectTransport(client, session, config)


def _needs_botocore(client: Any, session: botocore.session.Session) -> str | None:
    """Why ``transport="auto"`` must take botocore's client, or None.

    Args:
        client: The service's client.
        session: Its session.

    Returns:
        A tracer wraps botocore's client (it would not see direct calls), or
        the endpoint's proxy is an ``https://`` URL (which only botocore's
        client can use); never the proxy's URL (it may hold a password).
    """
    tracer = botocore_tracer()
    if tracer is not None:
        return REASON_TRACER % tracer
    if https_proxy(client.meta.endpoint_url):
        return REASON_HTTPS_PROXY
    return None


def retry_settings(config: DynamoDBConfig) -> dict[str, Any] | None:
    """botocore's ``retries`` setting: what is configured, the rest (None)
    left to botocore, which reads the environment, then the profile.

    Args:
        config: The configuration.

    Returns:
        The setting, or None when nothing is configured.
    """
    retries: dict[str, Any] = {}
    if config.max_attempts is not None:
        retries["total_max_attempts"] = config.max_attempts
    if config.retry_mode is not None:
        retries["mode"] = config.retry_mode
    return retries or None


def shared_loader(session: botocore.session.Session) -> Any:
    """botocore's data loader for the session's data path, one per process.

    A loader reads botocore's JSON models (the service, its endpoints,
    paginators, waiters) once and keeps them; each new session would read
    them again, about 60 ms of CPU per service built. The models do not
    change while a process runs.

    Args:
        session: The session whose ``data_path`` setting names the loader.

    Returns:
        The loader.
    """
    path = session.get_config_variable("data_path")
    with _LOADERS_LOCK:
        if path not in _LOADERS:
            _LOADERS[path] = create_loader(path)
        return _LOADERS[path]


def resolve_region(session: botocore.session.Session, configured: str | None) -> str:
    """The configured region, or the one boto3 would find (``AWS_DEFAULT_REGION``,
    then the profile's), or else ``AWS_REGION`` (which the other AWS SDKs
    read, and AWS Lambda sets).

    Args:
        session: The botocore session (its ``region`` setting).
        configured: ``DynamoDBConfig.region_name``.

    Returns:
        The region.

    Raises:
        botocore.exceptions.NoRegionError: If none is configured or found,
            saying where it was looked for.
        ValueError: If the region found does not look like one.
    """
    if configured is not None:
        return configured
    found = session.get_config_variable("region") or os.environ.get("AWS_REGION")
    if not found:
        missing = NoRegionError()
        missing.args = (ERROR_NO_REGION,)
        raise missing
    if not REGION_PATTERN.fullmatch(found):
        raise ValueError(ERROR_REGION_FOUND)
    return str(found)


def async_transport(
    client: Any, session: botocore.session.Session, config: DynamoDBConfig, kind: str
) -> Any:
    """The async service's transport: the direct one on the event loop, or
    botocore's client in worker threads for ``kind="botocore"``."""
    # Imported here so that the blocking service does not load asyncio.
    from .aio import AsyncBotocoreTransport, AsyncDirectTransport

    if kind == "botocore":
        return AsyncBotocoreTransport(client)
    return AsyncDirectTransport(client, session, config)


def raise_interrupts(caught_exception: Exception | None = None, **kwargs: Any) -> None:
    """botocore ``needs-retry`` handler: an interrupt is raised, not retried.

    botocore wraps whatever is raised while it sends a request as
    ``HTTPClientError`` and retries it, so an exception raised by a signal
    handler (a timeout, a shutdown) would be retried away. Anything that is
    not a network failure is therefore raised as itself. (``KeyboardInterrupt``
    and every other ``BaseException`` pass botocore untouched.)

    Args:
        caught_exception: What the attempt raised, if it raised.
        **kwargs: The rest of the event's arguments.
    """
    if isinstance(caught_exception, HTTPClientError):
        cause = caught_exception.kwargs.get("error")
        if isinstance(cause, Exception) and not isinstance(cause, NETWORK_ERRORS):
            raise cause


def _credential_secrets(
    session: botocore.session.Session, config: DynamoDBConfig
) -> list[str]:
    """The secrets the client signs with: configured, or found by the chain."""
    secrets = [
        secret.get_secret_value()
        for secret in (config.aws_secret_access_key, config.aws_session_token)
        if secret is not None
    ]
    if config.aws_access_key_id is None:
        found = session.get_credentials()
        if found is not None:
            frozen = found.get_frozen_credentials()
            secrets += [frozen.secret_key or "", frozen.token or ""]
    return secrets
