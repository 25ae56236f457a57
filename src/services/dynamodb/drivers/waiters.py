"""The service's waiters: botocore's own, and one botocore lacks.

``table_exists`` is done when the table is ``ACTIVE``; after an
``UpdateTable`` that adds or removes a global secondary index, the table is
``ACTIVE`` again long before the index is. ``TableAndIndexesActive`` is a
botocore waiter (its model format, its polling and ``WaiterError``) that is
done only when the table and every global index are ``ACTIVE``.
"""

from typing import Any

from botocore.waiter import WaiterModel, create_waiter_with_client

from ..operations.steps import INDEXES_ACTIVE

WAITERS = WaiterModel(
    {
        "version": 2,
        "waiters": {
            INDEXES_ACTIVE: {
                "operation": "DescribeTable",
                "delay": 1,
                "maxAttempts": 60,
                "acceptors": [
                    {
                        "state": "success",
                        "matcher": "path",
                        "argument": "Table.TableStatus == 'ACTIVE' && length("
                        "Table.GlobalSecondaryIndexes[?IndexStatus != 'ACTIVE']"
                        " || `[]`) == `0` && length("
                        "Table.VectorIndexes[?IndexStatus != 'ACTIVE']"
                        " || `[]`) == `0`",
                        "expected": True,
                    },
                    {
                        "state": "failure",
                        "matcher": "error",
                        "expected": "ResourceNotFoundException",
                    },
                ],
            }
        },
    }
)


def waiter(client: Any, name: str) -> Any:
    """A waiter by name: botocore's (``"table_exists"``), or this module's.

    Args:
        client: The botocore client it polls with.
        name: The waiter's name.

    Returns:
        The waiter.
    """
    if name in WAITERS.waiter_names:
        return create_waiter_with_client(name, WAITERS, client)
    return client.get_waiter(name)
