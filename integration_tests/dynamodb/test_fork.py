"""A service built before fork is safe in the children (gunicorn --preload)."""

import logging
import os
import struct

from examples.parallel_scan import count_in_processes
from services.dynamodb import DynamoDBService

CHILDREN = 4
ROUNDS = 40


def child_rounds(service: DynamoDBService, child: int) -> tuple[int, int]:
    """Write and read this child's own item ROUNDS times; count what went wrong."""
    wrong = errors = 0
    for round_number in range(ROUNDS):
        key = {"pk": "child-%d" % child, "sk": 1}
        item = {**key, "round": round_number, "owner": child}
        try:
            service.put_item(item)
            if service.get_item(key, consistent_read=True) != item:
                wrong += 1
        except Exception:
            errors += 1
    return wrong, errors


def run_child(service: DynamoDBService, child: int, pipe: int) -> None:
    try:
        wrong, errors = child_rounds(service, child)
        os.write(pipe, struct.pack("!iii", child, wrong, errors))
    finally:
        os._exit(0)


def test_forked_children_never_read_each_others_answers(
    service: DynamoDBService, table: str, logger: logging.Logger
) -> None:
    # Forking a process is the blocking service's case: a child cannot take
    # over the parent's event loop, so the async service is built afresh there.
    service = DynamoDBService(logger, service.config)
    service.put_item({"pk": "parent", "sk": 0})
    assert service.get_item({"pk": "parent", "sk": 0})  # the pool holds a connection
    reader, writer = os.pipe()
    children = []
    for child in range(CHILDREN):
        pid = os.fork()
        if pid == 0:
            os.close(reader)
            run_child(service, child, writer)
        children.append(pid)
    os.close(writer)
    for pid in children:
        os.waitpid(pid, 0)
    with os.fdopen(reader, "rb") as results:
        report = results.read()
    outcomes = [
        struct.unpack("!iii", report[i : i + 12]) for i in range(0, len(report), 12)
    ]
    assert sorted(child for child, _, _ in outcomes) == list(range(CHILDREN))
    assert [(wrong, errors) for _, wrong, errors in outcomes] == [(0, 0)] * CHILDREN
    assert service.get_item({"pk": "parent", "sk": 0}) == {"pk": "parent", "sk": 0}


def test_a_scan_spread_over_spawned_processes_counts_every_item_and_forks_nothing(
    service: DynamoDBService, table: str
) -> None:
    # The example of docs/reference.md, "Parallel scan".
    service.batch_write_items([{"pk": "p%d" % n, "sk": n} for n in range(50)])
    forks: list[int] = []
    os.register_at_fork(before=lambda: forks.append(os.getpid()))

    assert count_in_processes(service.config, total_segments=4) == 50
    assert forks == []  # spawned: no fork() of this (threaded) process
