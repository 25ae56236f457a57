"""The same workload through plain boto3 and through the library: every item equal."""

import random
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.conditions import Key
from boto3.dynamodb.types import Binary

from services.dynamodb import DynamoDBService


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kinds = ["s", "n", "d", "b", "bool", "null", "ss", "ns", "bs"]
    if depth < 3:
        kinds += ["l", "m"]
    kind = rng.choice(kinds)
    if kind == "s":
        return "".join(rng.choices("aé€😀 xyz", k=rng.randint(1, 12)))
    if kind == "n":
        return rng.randint(-(10**20), 10**20)
    if kind == "d":
        return Decimal(rng.randint(-(10**12), 10**12)).scaleb(rng.randint(-20, 20))
    if kind == "b":
        return Binary(rng.randbytes(rng.randint(1, 16)))
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "null":
        return None
    if kind == "ss":
        return {"a", "b", str(rng.randint(0, 99))}
    if kind == "ns":
        return {Decimal(rng.randint(0, 99)), Decimal("1.5")}
    if kind == "bs":
        return {Binary(b"x"), Binary(rng.randbytes(3))}
    if kind == "l":
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {"k%d" % i: random_value(rng, depth + 1) for i in range(rng.randint(0, 4))}


def test_library_and_boto3_read_and_write_the_same_items(
    service: DynamoDBService, table: str, plain_boto3_settings: dict[str, Any]
) -> None:
    rng = random.Random(20261129)
    items = [
        {
            "pk": "p%d" % (i % 5),
            "sk": i,
            **{"a%d" % j: random_value(rng) for j in range(6)},
        }
        for i in range(400)
    ]
    resource = boto3.resource("dynamodb", **plain_boto3_settings)
    plain = resource.Table(table)
    with plain.batch_writer() as writer:
        for item in items[:200]:
            writer.put_item(Item=item)
    service.batch_write_items(items[200:])

    def by_sk(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda row: int(row["sk"]))

    expected = by_sk(plain.scan(ConsistentRead=True)["Items"])
    assert len(expected) == 400
    assert by_sk(service.scan(consistent_read=True)) == expected
    assert by_sk(service.scan(total_segments=3)) == expected
    assert (
        by_sk(service.batch_get_items([{"pk": i["pk"], "sk": i["sk"]} for i in items]))
        == expected
    )
    for pk in ("p0", "p3"):
        boto3_rows = plain.query(KeyConditionExpression=Key("pk").eq(pk))["Items"]
        assert service.query(Key("pk").eq(pk)) == boto3_rows
    for item in items[::37]:
        key = {"pk": item["pk"], "sk": item["sk"]}
        assert service.get_item(key) == plain.get_item(Key=key)["Item"]
