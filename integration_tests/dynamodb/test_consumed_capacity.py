"""Consumed capacity on a real server: each call inside a block asks for
it, and the block's sums are what the server reported for those calls."""

from services.dynamodb import DynamoDBService


def test_a_block_sums_what_the_server_reported(
    service: DynamoDBService, table: str
) -> None:
    with service.consumed_capacity() as capacity:
        service.put_item({"pk": "a", "sk": 1, "pad": "x" * 3000})
        service.get_item({"pk": "a", "sk": 1})
        service.query("pk = :p", {":p": "a"})
    client = service.botocore_client()
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    got = client.get_item(TableName=table, Key=key, ReturnConsumedCapacity="TOTAL")

    assert capacity.write_units >= 3.0  # a 3 KB item costs 3 write units
    assert capacity.read_units >= 2 * got["ConsumedCapacity"]["CapacityUnits"] > 0
    assert capacity.by_table == {table: capacity.read_units + capacity.write_units}
