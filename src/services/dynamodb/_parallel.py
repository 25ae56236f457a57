"""Draining several page iterators at once on a thread pool."""

from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

Page = list[dict[str, Any]]


def interleave_pages(segments: list[Iterator[Page]]) -> Iterator[Page]:
    """Fetch the next page of every segment concurrently; yield pages as they come.

    Each segment has at most one request in flight, so no more than one page
    per segment is held in memory. Closing the returned generator early stops
    every segment after its current request.

    Args:
        segments: One lazy page iterator per scan segment.

    Yields:
        Every page of every segment, each exactly once, in arrival order.

    Raises:
        Exception: Whatever a segment's request raised, unchanged.
    """
    with ThreadPoolExecutor(max_workers=len(segments)) as pool:
        in_flight: dict[Future[Page | None], Iterator[Page]] = {
            pool.submit(next, segment, None): segment for segment in segments
        }
        try:
            while in_flight:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    segment = in_flight.pop(future)
                    page = future.result()
                    if page is None:
                        continue
                    in_flight[pool.submit(next, segment, None)] = segment
                    yield page
        finally:
            for future in in_flight:
                future.cancel()
