"""State and helpers shared by every group of service operations."""

import logging
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any, Protocol, cast

from botocore import xform_name
from botocore.exceptions import ClientError
from botocore.validate import validate_parameters
from pydantic import BaseModel

from ..codec.answers import required
from .capacity import (
    CAPACITY_SUFFIX,
    ConsumedCapacity,
    capacity_block,
    metered_if_wanted,
)
from .capacity import current as current_capacity
from ..codec.codec import KeyTypes, check_key_types, key_to_wire
from ..sansio.steps import Stepper
from ..codec.models import M, model_reader, model_to_item
from .steps import Call, Step, Steps
from ..codec.values import to_native
from ..codec.wire import Wire
from ..dynamodb_models import DynamoDBConfig, check_table_name
from ..errors import throttling_reasons

if TYPE_CHECKING:  # boto3-stubs, where installed; else the client is Any
    from mypy_boto3_dynamodb import DynamoDBClient
else:  # what typing.get_type_hints() shows
    DynamoDBClient = Any

# Failures that are an answer the caller asked for (a condition, a transaction
# whose condition failed): logged at INFO, not ERROR.
REQUESTED_OUTCOMES = frozenset(
    {"ConditionalCheckFailedException", "TransactionCanceledException"}
)


ERROR_ARGUMENT_TYPE = "%s must be a %s, got %s"
ERROR_NO_TABLE = (
    "no table name given and no default configured: pass table_name=... to the "
    "call or set DynamoDBConfig(default_table_name=...)"
)
LOG_AUTO_BOTOCORE = "DynamoDB calls go through botocore's client (transport='auto'): %s"
LOG_FAILURE = "DynamoDB %s on table %s failed: %s (%s)"
LOG_THROTTLED = ", throttled: %s"


def error_code(error: BaseException) -> str:
    """Return the AWS error code of a ``ClientError``, or ``"-"``.

    Args:
        error: Any exception.

    Returns:
        The code, e.g. ``"ConditionalCheckFailedException"``.
    """
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", "-"))
    return "-"


class Connected(Protocol):
    """What the operations use of the service's connection to DynamoDB,
    which the service's driver opens (:mod:`..transport.connection`)."""

    auto_botocore: str | None

    @property
    def client(self) -> Any:
        """The service's botocore client."""

    @property
    def plain_client(self) -> Any:
        """A botocore client with its own validation on."""

    @property
    def region(self) -> str:
        """The client's region."""

    def close(self) -> None:
        """Close the clients."""


class ServiceCore:
    """What every operation group needs: logger, config, connection, key schemas.

    The botocore client is shared by all threads (clients are thread-safe) and
    rebuilt in a forked process (see :mod:`..transport.connection`).
    """

    def __init__(self, logger: logging.Logger, config: DynamoDBConfig) -> None:
        """Hold the dependencies and build the client (no request is sent).

        Args:
            logger: Logger for every operation of this service.
            config: Connection and table settings.

        Raises:
            TypeError: If ``logger`` is not a ``logging.Logger`` or ``config``
                not a ``DynamoDBConfig``.
        """
        if not isinstance(logger, logging.Logger):
            raise TypeError(
                ERROR_ARGUMENT_TYPE
                % ("logger", "logging.Logger", type(logger).__name__)
            )
        if not isinstance(config, DynamoDBConfig):
            raise TypeError(
                ERROR_ARGUMENT_TYPE
                % ("config", "DynamoDBConfig", type(config).__name__)
            )
        self.log = logger
        self.config = config
        self._connection = self._open(config)
        if self._connection.auto_botocore is not None:
            self.log.info(LOG_AUTO_BOTOCORE, self._connection.auto_botocore)
        # Key attribute names and types per table, as this service last saw them.
        self._key_schemas: dict[str, KeyTypes] = {}
        # Table ARNs as DynamoDB described them (a name's ARN never changes).
        self._table_arns: dict[str, str] = {}

    @property
    def exceptions(self) -> Any:
        """The client's modeled exceptions, for ``except`` clauses (the same
        classes on both services).

        Example:
            >>> new = Attr("pk").not_exists()
            >>> try:
            ...     service.put_item({"pk": "a", "sk": 1}, condition_expression=new)
            ... except service.exceptions.ConditionalCheckFailedException:
            ...     print("order a/1 exists already")
            order a/1 exists already
        """
        return self._client.exceptions

    def botocore_client(self) -> "DynamoDBClient":
        """A plain botocore DynamoDB client with this service's
        configuration, for what the service does not wrap.

        It is built on first use (then kept) on the service's botocore
        session, so its exception classes are those of :attr:`exceptions`,
        with the same region, endpoint, credentials, timeouts and retry
        rules. It is botocore as documented: DynamoDB JSON in and out
        (``{"S": "a"}``), parameter validation on, botocore's own HTTP and
        answer parsing (none of the service's answer checks, logging,
        tracing or item decoding). It is a blocking client, also for
        :class:`AsyncDynamoDBService` (call it through ``asyncio.to_thread``
        there); it is closed with the service.

        Example:
            >>> client = service.botocore_client()
            >>> answer = client.describe_time_to_live(TableName="orders")
            >>> answer["TimeToLiveDescription"]["TimeToLiveStatus"]
            'DISABLED'

        Returns:
            The client (typed as ``mypy_boto3_dynamodb``'s ``DynamoDBClient``
            where boto3-stubs is installed).
        """
        return self._connection.plain_client  # type: ignore[no-any-return]

    @property
    def _client(self) -> Any:
        return self._connection.client

    def _open(self, config: DynamoDBConfig) -> Connected:
        """The connection to DynamoDB: the service's driver opens it."""
        raise NotImplementedError

    def _resolve_table(self, table_name: str | None) -> str:
        """Return ``table_name``, or the configured default when it is None.

        Args:
            table_name: The table a caller named, or None.

        Returns:
            The table name to use.

        Raises:
            TypeError: If the name is not a string.
            ValueError: If the name breaks DynamoDB's rule, or no table is named
                and no default is configured.
        """
        if table_name is not None:
            return check_table_name(table_name)
        if self.config.default_table_name is None:
            raise ValueError(ERROR_NO_TABLE)
        return self.config.default_table_name

    def _out(self, item: dict[str, Any]) -> dict[str, Any]:
        """An item as read (decoded by the service's parser), numbers as
        configured."""
        if self.config.numbers_as == "decimal":
            return item
        return {name: to_native(value) for name, value in item.items()}

    def _remember_key_schema(
        self, table: str, key_schema: list[Any], attributes: list[Any]
    ) -> KeyTypes:
        types = {a["AttributeName"]: a["AttributeType"] for a in attributes}
        names = [element["AttributeName"] for element in key_schema]
        key_types = self._key_schemas[table] = {name: types[name] for name in names}
        return key_types

    def _remember_described(self, table: str, answer: dict[str, Any]) -> None:
        """Remember the key schema a ``DescribeTable`` answer gives, so that
        later writes with a key of the wrong type are refused before they
        are sent, and the table's ARN (for tags and policies). An answer
        without them is left to the caller's own checks.

        Args:
            table: The table described.
            answer: DynamoDB's answer (its ``Table``).
        """
        described = answer.get("Table")
        if not isinstance(described, dict):
            return
        arn = described.get("TableArn")
        if isinstance(arn, str) and arn:
            self._table_arns[table] = arn
        key_schema = described.get("KeySchema")
        attributes = described.get("AttributeDefinitions")
        if isinstance(key_schema, list) and isinstance(attributes, list):
            try:
                self._remember_key_schema(table, key_schema, attributes)
            except (KeyError, TypeError):
                pass  # a malformed answer: nothing remembered

    def _validated(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Check a request of a table operation with botocore's validator.

        The client's own validation is off for speed on the data path; the
        table operations take DynamoDB structures from the caller as they
        are, so botocore checks them here, before anything is sent.

        Raises:
            botocore.exceptions.ParamValidationError: If they do not fit
                DynamoDB's model.
        """
        model = self._client.meta.service_model.operation_model(operation)
        validate_parameters(params, model.input_shape)
        return params

    def _key(self, key: object, table: str, label: str = "key") -> Steps[Wire]:
        """Check a key (against the table's key schema, when known) and
        convert it to DynamoDB JSON; see :func:`..codec.codec.key_to_wire`. A model
        instance gives its key attributes, by the table's key schema.

        A remembered schema that refuses the key is checked with DynamoDB
        first: the table may have been recreated with another key since.
        """
        known = self._known_key(key, table, label)
        if known is not None:
            return known
        if table not in self._key_schemas and not isinstance(key, BaseModel):
            return key_to_wire(key, label, table)
        described = yield from self._describe_key_types(table)
        return key_to_wire(_key_part(key, described), label, table, described)

    def _known_key(self, key: object, table: str, label: str) -> Wire | None:
        """:meth:`_key`'s usual case without its steps: a key the remembered
        schema takes, as DynamoDB JSON; None when no schema is remembered or
        it refuses the key (then :meth:`_key` decides)."""
        remembered = self._key_schemas.get(table)
        if remembered is None:
            return None
        try:
            return key_to_wire(_key_part(key, remembered), label, table, remembered)
        except ValueError:
            return None

    def _check_item_key(self, table: str, wire: Wire, label: str) -> Steps[None]:
        """Check an item's key attributes against the table's key schema when
        this service has seen it, so that a key DynamoDB would refuse is
        refused before anything is sent. A remembered schema that refuses
        the item is checked with DynamoDB first (the table may have been
        recreated since)."""
        remembered = self._key_schemas.get(table)
        if remembered is None:
            return
        try:
            check_key_types(wire, label, table, remembered)
        except ValueError:
            described = yield from self._describe_key_types(table)
            check_key_types(wire, label, table, described)

    def _out_as(self, item: dict[str, Any], table: str, model: type[M] | None) -> M:
        """One item as read: see :meth:`_reader`."""
        return self._reader(table, model)(item)

    def _reader(
        self, table: str, model: type[M] | None
    ) -> Callable[[dict[str, Any]], M]:
        """What turns items read from ``table`` into what the caller gets:
        dicts (see :meth:`_out`), or ``model`` instances (see :mod:`..codec.models`)."""
        if model is None:
            return cast(Callable[[dict[str, Any]], M], self._out)
        model_class = cast(type[BaseModel], model)
        return model_reader(model_class, table, self._key_text(table))

    def _key_text(self, table: str) -> Callable[[dict[str, Any]], str]:
        """A function naming an item by its key attributes, for errors."""

        def key_text(item: dict[str, Any]) -> str:
            names = self._key_schemas.get(table)
            if names is None:
                try:
                    names = self._described_key_types(table)
                except Exception:
                    return "(key unknown)"
            return repr({name: to_native(item.get(name)) for name in names})

        return key_text

    def _described_key_types(self, table_name: str) -> KeyTypes:
        """Ask DynamoDB for the table's key attributes, now, in this thread,
        and remember them: to name an item by its key in an error message
        (see :meth:`_key_text`), a rare path of either service."""
        run: Stepper[Step, Any, KeyTypes] = Stepper(
            self._describe_key_types(table_name)
        )
        while (call := run.next()) is not None:
            try:
                run.reply(self._table_call(cast(Call, call)))  # only Calls
            except Exception as error:
                run.fail(error)
        return cast(KeyTypes, run.result)

    def _table_call(self, call: Call) -> dict[str, Any]:
        """A table operation through botocore's client (blocking)."""
        method = getattr(self._client, xform_name(call.operation))
        return cast(dict[str, Any], method(**call.params))

    def _describe_key_types(self, table_name: str) -> Steps[KeyTypes]:
        """Ask DynamoDB for the table's key attributes and remember them."""
        with self._failure_logged("describe_table", table_name):
            response = yield Call(
                "DescribeTable", {"TableName": table_name}, table_operation=True
            )
            table = required(response, "Table", "DescribeTable")
            return self._remember_key_schema(
                table_name,
                required(table, "KeySchema", "DescribeTable"),
                required(table, "AttributeDefinitions", "DescribeTable"),
            )

    def consumed_capacity(self) -> AbstractContextManager[ConsumedCapacity]:
        """A block whose calls' consumed capacity is summed for your code.

        Inside it, every data-path request asks DynamoDB for its consumed
        capacity (``"TOTAL"``, or the configured
        ``return_consumed_capacity``), and each call's completion line says
        it. Blocks are per thread and per task (context variables): calls
        made by other threads or tasks are not counted, unless those tasks
        were started inside the block. Blocks nest: an outer one counts an
        inner one's calls too.

        Example:
            >>> with service.consumed_capacity() as capacity:
            ...     service.put_item({"pk": "c", "sk": 1})
            ...     items = service.query("pk = :p", {":p": "a"})
            >>> capacity.write_units, list(capacity.by_table)
            (1.0, ['orders'])

        Returns:
            A context manager giving the :class:`ConsumedCapacity`, summed
            as calls complete.
        """
        return capacity_block()

    def _metered(self, steps: Generator[Any, Any, Any]) -> Any:
        """An operation's steps, metered if consumed capacity is wanted now
        (see :mod:`.capacity`)."""
        return metered_if_wanted(steps, self.config.return_consumed_capacity)

    def _done(self, message: str, *args: object) -> None:
        """Log an operation's completion line (INFO), with the capacity it
        consumed when it is metered."""
        usage = current_capacity()
        if usage is None:
            self.log.info(message, *args)
        else:
            units = (usage.read_units, usage.write_units)
            self.log.info(message + CAPACITY_SUFFIX, *args, *units)

    @contextmanager
    def _failure_logged(self, operation: str, table: str) -> Iterator[None]:
        """Log a failure of the block once, without values, and re-raise it.

        One INFO line for an outcome the caller asked for (a failed condition,
        a cancelled transaction), one ERROR line for anything else: operation,
        table, exception class and AWS error code, and the codes of
        DynamoDB's throttling reasons (never the resources). The traceback
        goes to DEBUG. A ``ClientError`` gets those reasons as its
        ``throttling_reasons`` (see :func:`..errors.throttling_reasons`).
        """
        try:
            yield
        except Exception as error:
            code = error_code(error)
            level = logging.INFO if code in REQUESTED_OUTCOMES else logging.ERROR
            message = LOG_FAILURE
            args: list[object] = [operation, table, type(error).__name__, code]
            if isinstance(error, ClientError):
                reasons = throttling_reasons(error)
                setattr(error, "throttling_reasons", reasons)
                if reasons:
                    message += LOG_THROTTLED
                    args.append(", ".join(reason.reason for reason in reasons))
            self.log.log(level, message, *args)
            self.log.debug("DynamoDB %s failure in full", operation, exc_info=True)
            raise


def _key_part(key: object, key_types: KeyTypes) -> object:
    """A model instance's key attributes; any other key unchanged."""
    if not isinstance(key, BaseModel):
        return key
    item = model_to_item(key)
    return {name: item[name] for name in key_types if name in item}
