"""A parallel scan of more segments than ``max_pool_connections`` reads
them all: a segment that ends starts a waiting one."""

import logging
from collections import Counter

from services.dynamodb import DynamoDBConfig
from tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA, TABLE
from tests.services import build_service

ROWS = 200


def test_a_parallel_scan_of_more_segments_than_connections_reads_every_item(
    logger: logging.Logger,
) -> None:
    config = DynamoDBConfig(
        region_name="us-east-1", default_table_name=TABLE, max_pool_connections=2
    )
    service = build_service(logger, config)
    service.create_table(TABLE, KEY_SCHEMA, ATTRIBUTES)
    service.batch_write_items([{"pk": "p%d" % n, "sk": n} for n in range(ROWS)])

    seen = Counter(int(item["sk"]) for item in service.iter_scan(total_segments=8))

    assert sorted(seen) == list(range(ROWS))
    assert set(seen.values()) == {1}
