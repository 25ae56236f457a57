"""An async service shared by event loops in several threads keeps one pool
per loop: each loop reuses its own connections, and no loop's calls close or
replace another's (a pool used to be rebuilt at every change of loop, opening
a connection per call and leaving the old ones open)."""

import asyncio
import logging
import threading

from services.dynamodb import AsyncDynamoDBService, DynamoDBConfig
from tests.conformance.harness import GET_A
from tests.conformance.wire_server import Send, WireServer

LOOPS = 3
CALLS = 30


def test_loops_in_threads_each_keep_their_own_connections(
    server: WireServer, logger: logging.Logger
) -> None:
    server.default = (Send(GET_A),)
    config = DynamoDBConfig(
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id="k",
        aws_secret_access_key="s",
        transport="direct",
        max_pool_connections=1,
    )
    service = AsyncDynamoDBService(logger, config)
    items: list[object] = []

    async def calls() -> None:
        for _ in range(CALLS):
            items.append(await service.get_item({"pk": "a"}, table_name="orders"))
        await service.close()

    threads = [
        threading.Thread(target=asyncio.run, args=(calls(),)) for _ in range(LOOPS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert items == [{"pk": "a"}] * (LOOPS * CALLS)
    assert server.connections <= LOOPS
