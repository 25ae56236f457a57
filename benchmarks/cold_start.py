"""Cold starts, phase by phase, each in a fresh interpreter.

As a script, ``cold_start.py SIDE URL TABLE`` is one cold start: it imports
the side's library, constructs its client (the library's constructor pings
DynamoDB, as the specification asks; a boto3 client sends nothing) and
reads one item of TABLE (absent or not, the same request), then prints
JSON: the process's CPU seconds (user + system) in each phase and in all
(interpreter start-up included), the botocore clients created and the
requests sent (counted at botocore's ``before-send`` event, which both of
the library's transports emit; pydynox and aiodynamo have none).

:func:`cold_starts` runs the sides in fresh processes, alternating which goes
first, after compiling the library's bytecode as installing it would (with
``PYTHONDONTWRITEBYTECODE`` set, a source tree is compiled again by every
process, which no installed package pays).
"""

from __future__ import annotations

import os
import resource
import sys

# Not typing's: a fresh process imports nothing before its phases (typing
# brings re, enum, collections and more, which the sides import themselves).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    # A side: its imports, its construction, its first call.
    Side = tuple[Callable[[], Any], Callable[[Any, str, str], Any], Callable[..., Any]]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = "bench"
REGION = "us-east-1"
KEY = {"pk": "p0", "sk": 0}
PHASES = ("import", "construct", "get_item", "total")
BOTO3 = "boto3 client"


def cpu_seconds() -> float:
    """This process's CPU time so far, user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _boto3_import() -> Any:
    import boto3

    return boto3


def _boto3_construct(boto3: Any, endpoint: str, table: str) -> Any:
    return boto3.client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=SECRET,
        aws_secret_access_key=SECRET,
    )


def _boto3_get(client: Any, table: str) -> None:
    client.get_item(TableName=table, Key={"pk": {"S": "p0"}, "sk": {"N": "0"}})


def _library_import() -> Any:
    import logging

    from services.dynamodb import DynamoDBConfig, DynamoDBService

    return logging, DynamoDBConfig, DynamoDBService


def _library_construct(transport: str) -> Callable[[Any, str, str], Any]:
    def construct(imported: Any, endpoint: str, table: str) -> Any:
        logging, config_class, service_class = imported
        config = config_class(
            region_name=REGION,
            endpoint_url=endpoint,
            aws_access_key_id=SECRET,
            aws_secret_access_key=SECRET,
            transport=transport,
        )
        return service_class(logging.getLogger("cold"), config)

    return construct


def _library_get(service: Any, table: str) -> None:
    service.get_item(KEY, table_name=table)


def _aiodynamo_import() -> Any:
    import asyncio

    import aiohttp
    from aiodynamo.client import Client
    from aiodynamo.credentials import Key, StaticCredentials
    from aiodynamo.http.aiohttp import AIOHTTP
    from yarl import URL

    return asyncio, aiohttp, Client, Key, StaticCredentials, AIOHTTP, URL


def _aiodynamo_construct(imported: Any, endpoint: str, table: str) -> Any:
    asyncio, aiohttp, client_class, key, static, http, url = imported
    loop = asyncio.new_event_loop()

    async def make() -> Any:
        session = aiohttp.ClientSession()
        credentials = static(key(SECRET, SECRET))
        return session, client_class(http(session), credentials, REGION, url(endpoint))

    return loop, *loop.run_until_complete(make())


def _aiodynamo_get(built: Any, table: str) -> None:
    loop, session, client = built

    async def run() -> None:
        await client.get_item(table, KEY)
        await session.close()

    loop.run_until_complete(run())


def _pydynox_import() -> Any:
    from pydynox import DynamoDBClient

    return DynamoDBClient


def _pydynox_construct(client_class: Any, endpoint: str, table: str) -> Any:
    return client_class(
        region=REGION, endpoint_url=endpoint, access_key=SECRET, secret_key=SECRET
    )


def _pydynox_get(client: Any, table: str) -> None:
    client.sync_get_item(table, KEY)


SIDES: dict[str, Side] = {
    BOTO3: (_boto3_import, _boto3_construct, _boto3_get),
    "library": (_library_import, _library_construct("direct"), _library_get),
    "library (botocore)": (
        _library_import,
        _library_construct("botocore"),
        _library_get,
    ),
    "aiodynamo": (_aiodynamo_import, _aiodynamo_construct, _aiodynamo_get),
    "pydynox": (_pydynox_import, _pydynox_construct, _pydynox_get),
}


def _count_botocore(counts: dict[str, int]) -> None:
    """Count clients created and requests about to be sent, where botocore
    is already imported (not imported here: that would move its cost)."""
    session = sys.modules.get("botocore.session")
    if session is None:
        return
    create_client = session.Session.create_client

    def request(**kwargs: Any) -> None:
        counts["requests"] += 1

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        counts["clients"] += 1
        client = create_client(self, *args, **kwargs)
        client.meta.events.register("before-send", request)
        return client

    setattr(session.Session, "create_client", counting)


def one_cold_start(side: str, endpoint: str, table: str) -> dict[str, float]:
    """Run one side's phases in this process (which must be fresh)."""
    sys.path.insert(0, os.path.join(ROOT, "src"))
    imports, construct, get = SIDES[side]
    counts = {"clients": 0, "requests": 0}
    started = cpu_seconds()
    imported = imports()
    imported_at = cpu_seconds()
    _count_botocore(counts)
    constructing = cpu_seconds()
    built = construct(imported, endpoint, table)
    constructed = cpu_seconds()
    get(built, table)
    done = cpu_seconds()
    return {
        "startup": started,
        "import": imported_at - started,
        "construct": constructed - constructing,
        "get_item": done - constructed,
        "total": done - (constructing - imported_at),
        **counts,
    }


def cold_starts(
    endpoint: str, table: str, sides: Sequence[str], rounds: int
) -> dict[str, dict[str, float]]:
    """Median figures per side of ``rounds`` fresh processes each.

    Each round runs every side once, the order rotated round by round.

    Args:
        endpoint: The server's URL.
        table: An existing table with a key ``pk`` (S) and ``sk`` (N).
        sides: Names of :data:`SIDES`.
        rounds: Processes per side.

    Returns:
        Per side that ran, the median of each figure (phases in CPU seconds).
    """
    import compileall
    import json
    import statistics
    import subprocess

    compileall.compile_dir(os.path.join(ROOT, "src"), quiet=1)
    runs: dict[str, list[dict[str, float]]] = {side: [] for side in sides}
    for number in range(rounds):
        turn = number % len(sides)
        for side in list(sides[turn:]) + list(sides[:turn]):
            done = subprocess.run(
                [sys.executable, __file__, side, endpoint, table],
                capture_output=True,
                text=True,
            )
            if done.returncode == 0:
                runs[side].append(json.loads(done.stdout.splitlines()[-1]))
    return {
        side: {
            name: statistics.median(run[name] for run in figures) for name in figures[0]
        }
        for side, figures in runs.items()
        if figures
    }


def phase_text(medians: dict[str, dict[str, float]], side: str) -> str:
    """One line: a side's phases in ms of CPU, and as ratios to boto3's."""
    base = medians[BOTO3]
    return "%s: " % side + ", ".join(
        "%s %.1f ms (%.2f)"
        % (phase, medians[side][phase] * 1000, medians[side][phase] / base[phase])
        for phase in PHASES
    )


def main() -> None:
    side, endpoint, table = sys.argv[1:4]
    figures = one_cold_start(side, endpoint, table)
    import json

    print(json.dumps(figures))


if __name__ == "__main__":
    main()
