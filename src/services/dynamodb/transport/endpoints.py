"""Where each direct request goes: botocore's endpoint rule set, per request.

boto3 resolves the endpoint of every call from DynamoDB's rule set, with the
call's own inputs: the account of the credentials (account-ID endpoints such
as ``111122223333.ddb.us-east-1.amazonaws.com``, and
``account_id_endpoint_mode``), table ARNs, the search host of
``SearchVectors``. :class:`Endpoints` asks the client's own resolver the same
question (``BaseClient._resolve_endpoint_ruleset``, the method the client
calls), so the answer and its errors (``EndpointResolutionError``,
``AccountIdNotFound``, ...) are boto3's. Everything else the rule set reads
(region, FIPS, dual-stack, ``endpoint_url``) is fixed per client, so the
answer is cached per operation, account and the request values the rule set
reads: a steady state costs one dictionary look-up.
"""

import functools
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .signing import Signer

CACHE_SIZE = 512
ACCOUNT_BUILTIN = "AWS::Auth::AccountId"
# The request context entry that carries the account of the credentials the
# exchange already holds (see _account_from_context).
CONTEXT_ACCOUNT = "services_dynamodb_account"


@dataclass(frozen=True)
class Endpoint:
    """One resolved endpoint and how requests to it are signed.

    Attributes:
        url: The URL requests go to: the resolved endpoint with a path of at
            least ``/``, and the query of ``endpoint_url``, as botocore sends
            and signs it.
        region: The region requests are signed for.
        signer: Signs requests for the endpoint's host, region and name.
        headers: Headers the rule set adds (rare).
    """

    url: str
    region: str
    signer: Signer
    headers: dict[str, str]


class Endpoints:
    """The endpoints of one botocore client's calls, cached."""

    def __init__(self, client: Any) -> None:
        """Args:
        client: The service's botocore client (its rule-set resolver).
        """
        self._client = client
        self._meta = client.meta
        self._cache: dict[tuple[Any, ...], Endpoint] = {}
        self._signers: dict[tuple[str, str, str], Signer] = {}
        self._lock = threading.Lock()
        service = self._meta.service_model.service_id.hyphenize()
        client.meta.events.register(
            f"before-endpoint-resolution.{service}",
            _account_from_context,
            unique_id="services-dynamodb-account",
        )

    def endpoint(
        self, model: Any, params: dict[str, Any], account_id: str | None
    ) -> Endpoint:
        """The endpoint of one request.

        Args:
            model: The operation's botocore model.
            params: The request's parameters.
            account_id: The account of the credentials signing it, if known.

        Returns:
            Where the request goes, and its signer.

        Raises:
            botocore.exceptions.EndpointResolutionError: A subclass, as boto3
                raises it (e.g. no account with ``account_id_endpoint_mode``
                ``required``).
        """
        key = (model.name, account_id, *_resolver_inputs(model, params))
        found = self._cache.get(key)
        if found is None:
            found = self._resolve(model, params, account_id)
            with self._lock:
                if len(self._cache) >= CACHE_SIZE:
                    self._cache.clear()
                self._cache[key] = found
        return found

    def _resolve(
        self, model: Any, params: dict[str, Any], account_id: str | None
    ) -> Endpoint:
        meta = self._meta
        context: dict[str, Any] = {
            "client_region": meta.region_name,
            "client_config": meta.config,
            CONTEXT_ACCOUNT: account_id,
        }
        url, headers, _ = self._client._resolve_endpoint_ruleset(model, params, context)
        signing = context.get("signing", {})
        region = signing.get("region", meta.region_name)
        name = signing.get("signing_name", _signing_name(meta))
        url = _request_url(url, meta.endpoint_url)
        return Endpoint(url, region, self._signer(url, region, name), dict(headers))

    def _signer(self, url: str, region: str, name: str) -> Signer:
        """One signer per URL, region and name (it caches signing keys)."""
        key = (url, region, name)
        with self._lock:
            if key not in self._signers:
                self._signers[key] = Signer(url, region, name)
            return self._signers[key]


def _account_from_context(
    builtins: dict[str, Any], context: dict[str, Any] | None = None, **kwargs: Any
) -> None:
    """botocore ``before-endpoint-resolution`` handler: the account of the
    credentials the exchange read, instead of the resolver reading them
    again (which may refresh them: on the async service, on the loop).
    Requests of botocore's own client carry no such entry: untouched."""
    if (
        context
        and CONTEXT_ACCOUNT in context
        and callable(builtins.get(ACCOUNT_BUILTIN))
    ):
        builtins[ACCOUNT_BUILTIN] = context[CONTEXT_ACCOUNT]


def _resolver_inputs(model: Any, params: dict[str, Any]) -> tuple[Any, ...]:
    """The request values DynamoDB's rule set reads: the members named by
    the operation's context parameters (``TableName``), and the tables of
    batches and transactions (its operation context parameters)."""
    members, tables = _read_by_rule_set(model)
    values = tuple(params.get(member) for member in members)
    if not tables:
        return values
    named = tuple(params.get("RequestItems", ()))
    acted_on = tuple(
        entry.get("TableName")
        for action in params.get("TransactItems", ())
        for entry in action.values()
    )
    return values + named + acted_on


@functools.lru_cache(maxsize=256)
def _read_by_rule_set(model: Any) -> tuple[tuple[str, ...], bool]:
    """The members an operation's context parameters name, and whether
    it has operation context parameters (the tables of a batch)."""
    members = tuple(param.member_name for param in model.context_parameters)
    return members, bool(getattr(model, "operation_context_parameters", None))


def _request_url(url: str, configured: str | None) -> str:
    """A resolved URL as botocore's requests carry it: a path of at least
    ``/``, and the configured ``endpoint_url``'s query (botocore keeps it on
    each request, and signs it)."""
    parts = urlsplit(url)
    query = parts.query
    if not query and configured is not None:
        query = urlsplit(configured).query
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def _signing_name(meta: Any) -> str:
    return str(meta.service_model.signing_name or "dynamodb")
