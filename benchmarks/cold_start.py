"""One cold construction in a fresh interpreter: `cold_start.py library|boto3 URL`.

Prints JSON: seconds spent constructing (imports excluded, reported apart),
botocore clients created, and requests sent.
"""

import json
import sys
import time
from pathlib import Path
from typing import Any

started = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import boto3  # noqa: E402
import botocore.endpoint  # noqa: E402
import botocore.session  # noqa: E402

created: list[int] = []
original_create_client = botocore.session.Session.create_client


def counting_create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
    created.append(1)
    return original_create_client(self, *args, **kwargs)


setattr(botocore.session.Session, "create_client", counting_create_client)
requests: list[int] = []
original_make_request = botocore.endpoint.Endpoint.make_request


def counting_make_request(self: Any, *args: Any, **kwargs: Any) -> Any:
    requests.append(1)
    return original_make_request(self, *args, **kwargs)


setattr(botocore.endpoint.Endpoint, "make_request", counting_make_request)


def construct_library(endpoint: str) -> Any:
    import logging

    from services.dynamodb import DynamoDBConfig, DynamoDBService

    config = DynamoDBConfig(
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    start = time.perf_counter()
    DynamoDBService(logging.getLogger("cold"), config)
    return start


def construct_boto3(endpoint: str) -> Any:
    start = time.perf_counter()
    resource = boto3.resource(
        "dynamodb",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    resource.meta.client.list_tables(Limit=1)
    return start


def main() -> None:
    side, endpoint = sys.argv[1], sys.argv[2]
    construct = construct_library if side == "library" else construct_boto3
    start = construct(endpoint)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "with_imports": time.perf_counter() - started,
                "clients": len(created),
                "requests": len(requests),
            }
        )
    )


if __name__ == "__main__":
    main()
