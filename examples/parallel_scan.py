"""A scan spread over worker processes, one segment each: the example of
docs/reference.md ("Parallel scan"), run against a server by
integration_tests/dynamodb/test_fork.py.

The workers are started with ``spawn``: a fresh interpreter each, so a
parent that runs threads (a web server, a thread pool, a test runner) forks
nothing (Python 3.12 warns about ``fork()`` in a multi-threaded process, as
it may deadlock the child). Each worker builds its own service from the
configuration, which pickles; the worker function lives in a module, as
``spawn`` needs.
"""

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from services.dynamodb import DynamoDBConfig, DynamoDBService


def count_segment(config: DynamoDBConfig, segment: int, total_segments: int) -> int:
    """Count one segment's items (run in a worker process).

    Args:
        config: The service's configuration.
        segment: The segment to read.
        total_segments: How many segments the table is read in.

    Returns:
        The number of items in the segment.
    """
    service = DynamoDBService(logging.getLogger("scan"), config)  # this process's own
    items = service.iter_scan(segment=segment, total_segments=total_segments)
    return sum(1 for _ in items)


def count_in_processes(config: DynamoDBConfig, total_segments: int = 4) -> int:
    """Count a table's items in ``total_segments`` worker processes.

    Args:
        config: The service's configuration (its default table is scanned).
        total_segments: Segments, and worker processes.

    Returns:
        The number of items in the table.
    """
    spawn = multiprocessing.get_context("spawn")  # no fork() of a threaded parent
    segments = range(total_segments)
    with ProcessPoolExecutor(total_segments, mp_context=spawn) as pool:
        counts = pool.map(
            count_segment,
            [config] * total_segments,
            segments,
            [total_segments] * total_segments,
        )
        return sum(counts)
