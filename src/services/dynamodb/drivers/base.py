"""What both drivers add to the operations: the connection they run on.

The operations (:mod:`..operations`) never import the transport: they see
the connection through :class:`..operations.core.Connected`. A driver opens
the real one (:mod:`..transport.connection`) and does the steps that need
botocore's blocking helpers: waiters and paginators.
"""

from typing import Any, cast

from botocore import xform_name

from ..dynamodb_models import DynamoDBConfig
from ..operations.core import ServiceCore
from ..operations.steps import AllPages, Call, Wait
from ..transport.connection import Connection
from .waiters import waiter


class Driver(ServiceCore):
    """The connection of a service, and its table steps."""

    # True for the async service: its connection's transport is awaited.
    _asynchronous = False
    _connection: Connection

    def _open(self, config: DynamoDBConfig) -> Connection:
        """The service's connection: client and transport, nothing sent."""
        return Connection(config, asynchronous=self._asynchronous)

    def _service_call(self, call: Call) -> dict[str, Any]:
        """A call to another service of the session (DynamoDB Streams), on
        botocore's client for it (blocking: the async service runs it in a
        worker thread)."""
        client = self._connection.client_for(call.service)
        method = getattr(client, xform_name(call.operation))
        return cast(dict[str, Any], method(**call.params))

    def _table_step(self, step: Wait | AllPages) -> Any:
        """A botocore waiter's wait, or a botocore paginator's pages
        (blocking: the async service runs it in a worker thread)."""
        client = self._client
        if isinstance(step, Wait):
            config = {"Delay": step.delay, "MaxAttempts": step.max_attempts}
            waiter(client, step.waiter).wait(WaiterConfig=config, **step.params)
            return None
        paginator = client.get_paginator(xform_name(step.operation))
        return [dict(page) for page in paginator.paginate(**step.params)]
