"""The blocking service's driver: an operation's steps, run in this thread.

See :mod:`..operations.steps` for what an operation is. Data-path calls go to the
configured transport, table operations to botocore's client, pauses to
``time.sleep``, and a parallel scan's segments to a bounded thread pool
(:mod:`.parallel`).
"""

import time
from collections.abc import Iterator
from typing import Any, TypeVar, cast

from .base import Driver
from ..operations.public import Blocking
from ..sansio.steps import Sleep, Stepper
from ..operations.steps import (
    DYNAMODB,
    Call,
    Emit,
    Interleave,
    NextPage,
    Step,
    Steps,
    StreamSteps,
)

R = TypeVar("R")
T = TypeVar("T")


class BlockingDriver(Driver, Blocking):
    """Runs the operations of :class:`~.dynamodb_service.DynamoDBService`."""

    def _run(self, steps: Steps[R]) -> R:
        """Run an operation's steps, blocking (see :mod:`..operations.steps`).

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
                # Imported here: only a parallel scan needs its thread pool.
                from .parallel import interleave_pages

                segments = (self._stream_run(one) for one in step.streams)
                run.reply(interleave_pages(segments, step.max_in_flight))
            elif isinstance(step, NextPage):
                run.reply(next(step.pages, None))
            else:
                run.reply(self._table_step(step))
        except BaseException as error:
            run.fail(error)

    def _perform(self, call: Call) -> dict[str, Any]:
        """One call: a table operation on botocore's client, the data path
        on the configured transport, DynamoDB Streams on botocore's client
        for it."""
        if call.service != DYNAMODB:
            return self._service_call(call)
        if call.table_operation:
            return self._table_call(call)
        return self._connection.transport.call(call.operation, call.params)
