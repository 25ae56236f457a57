"""The async service's driver: an operation's steps, awaited on the loop.

See :mod:`..operations.steps` for what an operation is. Data-path calls go to the
async transport (:mod:`..transport.aio`), table operations, waits and table listings
to botocore's client in a worker thread (they are rare and slow, and
botocore's waiter and paginator are blocking), pauses to ``asyncio.sleep``,
and a parallel scan's segments to tasks, at most ``max_pool_connections``
at once. A cancelled call (``asyncio.timeout``, a cancelled task) raises
``CancelledError`` inside the operation's steps, which pass it on unchanged.
"""

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar, cast

from .base import Driver
from ..operations.public import Awaiting
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
Page = TypeVar("Page")
# The pause of retry backoffs and batch rounds (a name tests can replace).
pause = asyncio.sleep


class AsyncDriver(Driver, Awaiting):
    """Runs the operations of :class:`~.dynamodb_async_service.AsyncDynamoDBService`."""

    _asynchronous = True

    async def _run(self, steps: Steps[R]) -> R:
        """Run an operation's steps on the event loop.

        Args:
            steps: The operation.

        Returns:
            Its result.
        """
        run: Stepper[Step, Any, R] = Stepper(steps)
        while (step := run.next()) is not None:
            await self._do(run, step)
        return cast(R, run.result)

    def _stream_run(self, steps: StreamSteps[T]) -> AsyncIterator[T]:
        """Run a stream's steps up to its first request (its argument checks),
        then as iterated: an async iterator of the items it emits."""
        run: Stepper[Step | Emit[T], Any, None] = Stepper(steps)
        return self._streaming(run, run.next())

    async def _streaming(
        self, run: Stepper[Step | Emit[T], Any, None], step: Step | Emit[T] | None
    ) -> AsyncIterator[T]:
        try:
            while step is not None:
                if isinstance(step, Emit):
                    for item in step.items:
                        yield item
                else:
                    await self._do(run, step)
                step = run.next()
        finally:
            run.close()

    async def _do(self, run: Stepper[Any, Any, Any], step: Step) -> None:
        """Do one step and hand its reply (or its error) to the steps."""
        if isinstance(step, Sleep):
            await pause(step.seconds)
            return
        try:
            if isinstance(step, Call):
                run.reply(await self._perform(step))
            elif isinstance(step, Interleave):
                segments = (self._stream_run(one) for one in step.streams)
                run.reply(interleave(segments, step.max_in_flight))
            elif isinstance(step, NextPage):
                run.reply(await anext(step.pages, None))
            else:
                run.reply(await asyncio.to_thread(self._table_step, step))
        except BaseException as error:
            run.fail(error)

    async def _perform(self, call: Call) -> dict[str, Any]:
        """One call: a table operation on botocore's client in a worker
        thread, the data path on the async transport, DynamoDB Streams on
        botocore's client for it in a worker thread."""
        if call.service != DYNAMODB:
            return await asyncio.to_thread(self._service_call, call)
        if call.table_operation:
            return await asyncio.to_thread(self._table_call, call)
        transport: Any = self._connection.transport
        return cast(dict[str, Any], await transport.call(call.operation, call.params))


async def interleave(
    segments: Iterable[AsyncIterator[Page]], max_in_flight: int
) -> AsyncIterator[Page]:
    """Read pages of several segments concurrently; yield them as they come.

    The tasks' counterpart of :func:`.parallel.interleave_pages`: at most
    ``max_in_flight`` segments are read at once, each with one request in
    flight; a segment starts when another ends; closing this generator
    early cancels the requests in flight.

    Args:
        segments: One page iterator per scan segment; taken one at a time.
        max_in_flight: The most segments read at once.

    Yields:
        Every page of every segment, each exactly once, in arrival order.
    """
    waiting: Iterator[AsyncIterator[Page]] = iter(segments)
    in_flight: dict[asyncio.Future[Page | None], AsyncIterator[Page]] = {}

    def start(segment: AsyncIterator[Page]) -> None:
        in_flight[asyncio.ensure_future(anext(segment, None))] = segment

    try:
        for segment in islice(waiting, max_in_flight):
            start(segment)
        while in_flight:
            done, _ = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
            for future in done:
                segment = in_flight.pop(future)
                page = future.result()
                if page is None:  # this segment ended: start a waiting one
                    started = next(waiting, None)
                    if started is not None:
                        start(started)
                    continue
                start(segment)
                yield page
    finally:
        for future in in_flight:
            future.cancel()
