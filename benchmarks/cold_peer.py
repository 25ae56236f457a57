"""One cold start in this fresh interpreter: `cold_peer.py SIDE URL`.

Imports the side's library, constructs its client and reads one item (absent
or not, the same request), then exits. The caller measures the process's CPU
time, interpreter start included (the same for every side).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

SECRET = "bench"
REGION = "us-east-1"
TABLE = "peers"
KEY = {"pk": "p0", "sk": 0}


def boto3_client(endpoint: str) -> None:
    import boto3

    client = boto3.client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=SECRET,
        aws_secret_access_key=SECRET,
    )
    client.get_item(TableName=TABLE, Key={"pk": {"S": "p0"}, "sk": {"N": "0"}})


def library(endpoint: str, transport: str) -> None:
    import logging

    from services.dynamodb import DynamoDBConfig, DynamoDBService

    config = DynamoDBConfig(
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=SECRET,
        aws_secret_access_key=SECRET,
        default_table_name=TABLE,
        transport=transport,
    )
    DynamoDBService(logging.getLogger("cold"), config).get_item(KEY)


def aiodynamo(endpoint: str) -> None:
    import asyncio

    import aiohttp
    from aiodynamo.client import Client
    from aiodynamo.credentials import Key, StaticCredentials
    from aiodynamo.http.aiohttp import AIOHTTP
    from yarl import URL

    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            credentials = StaticCredentials(Key(SECRET, SECRET))
            client = Client(AIOHTTP(session), credentials, REGION, URL(endpoint))
            await client.get_item(TABLE, KEY)

    asyncio.run(run())


def pydynox(endpoint: str) -> None:
    from pydynox import DynamoDBClient

    client = DynamoDBClient(
        region=REGION, endpoint_url=endpoint, access_key=SECRET, secret_key=SECRET
    )
    client.sync_get_item(TABLE, KEY)


def main() -> None:
    side, endpoint = sys.argv[1], sys.argv[2]
    if side == "boto3 client":
        boto3_client(endpoint)
    elif side == "library":
        library(endpoint, "direct")
    elif side == "library (botocore)":
        library(endpoint, "botocore")
    elif side == "aiodynamo":
        aiodynamo(endpoint)
    elif side == "pydynox":
        pydynox(endpoint)
    else:
        raise SystemExit("unknown side: %s" % side)


if __name__ == "__main__":
    main()
