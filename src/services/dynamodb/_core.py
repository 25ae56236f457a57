"""State and helpers shared by every group of service operations."""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from botocore import xform_name
from botocore.exceptions import ClientError
from botocore.validate import validate_parameters
from pydantic import BaseModel

from ._answers import required
from ._codec import KeyTypes, check_key_types, key_to_wire
from ._connection import Connection
from ._exchange import Sleep, Stepper
from ._models import M, model_reader, model_to_item
from ._parallel import interleave_pages
from ._steps import AllPages, Call, Emit, Interleave, NextPage, Step, Steps
from ._steps import StreamSteps, Wait
from ._values import to_native
from ._wire import Wire
from .dynamodb_models import DynamoDBConfig, check_table_name

# Failures that are an answer the caller asked for (a condition, a transaction
# whose condition failed): logged at INFO, not ERROR.
REQUESTED_OUTCOMES = frozenset(
    {"ConditionalCheckFailedException", "TransactionCanceledException"}
)

R = TypeVar("R")
T = TypeVar("T")

ERROR_NO_TABLE = (
    "no table name given and no default configured: pass table_name=... to the "
    "call or set DynamoDBConfig(default_table_name=...)"
)


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


class ServiceCore:
    """What every operation group needs: logger, config, connection, key schemas.

    The botocore client is shared by all threads (clients are thread-safe) and
    rebuilt in a forked process (see :mod:`._connection`).
    """

    def __init__(self, logger: logging.Logger, config: DynamoDBConfig) -> None:
        """Hold the dependencies and build the client (no request is sent).

        Args:
            logger: Logger for every operation of this service.
            config: Connection and table settings.
        """
        self.log = logger
        self.config = config
        self._connection = Connection(config)
        # Key attribute names and types per table, as this service last saw them.
        self._key_schemas: dict[str, KeyTypes] = {}

    @property
    def _client(self) -> Any:
        return self._connection.client

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        """Run a data-path operation on the configured transport.

        Args:
            operation: The operation, e.g. ``"GetItem"``.
            **params: Its parameters, DynamoDB JSON.

        Returns:
            The parsed answer, items decoded.
        """
        return self._connection.transport.call(operation, params)

    def _run(self, steps: Steps[R]) -> R:
        """Run an operation's steps, blocking (see :mod:`._steps`).

        Args:
            steps: The operation.

        Returns:
            Its result.
        """
        run: Stepper[Step, Any, R] = Stepper(steps)
        while (step := run.next()) is not None:
            self._do(run, step)
        return cast(R, run.result)

    def _stream_run(self, steps: StreamSteps[T]) -> Iterator[T]:
        """Run a stream's steps up to its first request (its argument checks),
        then lazily: an iterator of the items it emits."""
        run: Stepper[Step | Emit[T], Any, None] = Stepper(steps)
        return self._streaming(run, run.next())

    def _streaming(
        self, run: Stepper[Step | Emit[T], Any, None], step: Step | Emit[T] | None
    ) -> Iterator[T]:
        try:
            while step is not None:
                if isinstance(step, Emit):
                    yield from step.items
                else:
                    self._do(run, step)
                step = run.next()
        finally:
            run.close()

    def _do(self, run: Stepper[Any, Any, Any], step: Step) -> None:
        """Do one step and hand its reply (or its error) to the steps."""
        if isinstance(step, Sleep):
            time.sleep(step.seconds)
            return
        try:
            if isinstance(step, Call):
                run.reply(self._perform(step))
            elif isinstance(step, Interleave):
                segments = (self._stream_run(one) for one in step.streams)
                run.reply(interleave_pages(segments, step.max_in_flight))
            elif isinstance(step, NextPage):
                run.reply(next(step.pages, None))
            else:
                run.reply(self._table_step(step))
        except BaseException as error:
            run.fail(error)

    def _table_step(self, step: Wait | AllPages) -> Any:
        """A botocore waiter's wait, or a botocore paginator's pages."""
        client = self._client
        if isinstance(step, Wait):
            config = {"Delay": step.delay, "MaxAttempts": step.max_attempts}
            client.get_waiter(step.waiter).wait(WaiterConfig=config, **step.params)
            return None
        paginator = client.get_paginator(xform_name(step.operation))
        return [dict(page) for page in paginator.paginate(**step.params)]

    def _perform(self, call: Call) -> dict[str, Any]:
        """One call: a table operation on botocore's client, the data path
        on the configured transport."""
        if call.table_operation:
            method = getattr(self._client, xform_name(call.operation))
            return cast(dict[str, Any], method(**call.params))
        return self._connection.transport.call(call.operation, call.params)

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
        convert it to DynamoDB JSON; see :func:`._codec.key_to_wire`. A model
        instance gives its key attributes, by the table's key schema.

        A remembered schema that refuses the key is checked with DynamoDB
        first: the table may have been recreated with another key since.
        """
        remembered = self._key_schemas.get(table)
        if remembered is None and not isinstance(key, BaseModel):
            return key_to_wire(key, label, table)
        if remembered is not None:
            try:
                return key_to_wire(_key_part(key, remembered), label, table, remembered)
            except ValueError:
                pass
        described = yield from self._describe_key_types(table)
        return key_to_wire(_key_part(key, described), label, table, described)

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
        dicts (see :meth:`_out`), or ``model`` instances (see :mod:`._models`)."""
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
        """Ask DynamoDB for the table's key attributes and remember them
        (blocking; see :meth:`_describe_key_types`)."""
        return self._run(self._describe_key_types(table_name))

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

    @contextmanager
    def _failure_logged(self, operation: str, table: str) -> Iterator[None]:
        """Log a failure of the block once, without values, and re-raise it.

        One INFO line for an outcome the caller asked for (a failed condition,
        a cancelled transaction), one ERROR line for anything else: operation,
        table, exception class and AWS error code. The traceback goes to DEBUG.
        """
        try:
            yield
        except Exception as error:
            code = error_code(error)
            level = logging.INFO if code in REQUESTED_OUTCOMES else logging.ERROR
            self.log.log(
                level,
                "DynamoDB %s on table %s failed: %s (%s)",
                operation,
                table,
                type(error).__name__,
                code,
            )
            self.log.debug("DynamoDB %s failure in full", operation, exc_info=True)
            raise


def _key_part(key: object, key_types: KeyTypes) -> object:
    """A model instance's key attributes; any other key unchanged."""
    if not isinstance(key, BaseModel):
        return key
    item = model_to_item(key)
    return {name: item[name] for name in key_types if name in item}
