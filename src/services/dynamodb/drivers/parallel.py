"""Draining many page iterators on a bounded thread pool."""

from collections.abc import Iterable, Iterator
from itertools import islice
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

Page = TypeVar("Page")


def interleave_pages(
    segments: Iterable[Iterator[Page]], max_in_flight: int
) -> Iterator[Page]:
    """Fetch pages of several segments concurrently; yield pages as they come.

    At most ``max_in_flight`` segments are being read at any time, each with
    one request in flight, so no more than that many pages are held in memory
    and no more threads run. A segment starts when another one ends. Closing
    the returned generator early cancels the segments not yet started and
    stops the others after their current request.

    Args:
        segments: One lazy page iterator per scan segment; taken one at a time.
        max_in_flight: The most segments read at once (threads in the pool).

    Yields:
        Every page of every segment, each exactly once, in arrival order.

    Raises:
        Exception: Whatever a segment's request raised, unchanged.
    """
    waiting = iter(segments)
    with ThreadPoolExecutor(max_workers=max_in_flight) as pool:
        in_flight: dict[Future[Any], Iterator[Page]] = {}
        try:
            for segment in islice(waiting, max_in_flight):
                in_flight[pool.submit(_next_page, segment)] = segment
            while in_flight:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    segment = in_flight.pop(future)
                    page = future.result()
                    if page is None:  # this segment ended: start a waiting one
                        started = next(waiting, None)
                        if started is not None:
                            in_flight[pool.submit(_next_page, started)] = started
                        continue
                    in_flight[pool.submit(_next_page, segment)] = segment
                    yield page
        finally:
            for future in in_flight:
                future.cancel()


def _next_page(segment: Iterator[Page]) -> Page | None:
    return next(segment, None)
