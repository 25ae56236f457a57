"""A ready :class:`DynamoDBService` on moto, for your own unit tests.

Needs the ``testing`` extra (``pip install services-dynamodb[testing]``),
which brings moto. Declare tables in a line each, optionally with indexes
and items:

Example:
    >>> from services.dynamodb.testing import TableSpec, mock_dynamodb_service
    >>> orders = TableSpec("orders", "pk", "sk:N", items=[{"pk": "a", "sk": 1}])
    >>> with mock_dynamodb_service(orders) as service:
    ...     assert service.get_item({"pk": "a", "sk": 1}) is not None

:func:`mock_async_dynamodb_service` is the same for
:class:`AsyncDynamoDBService` (``async with``); :class:`SharedServices`
keeps one service per configuration for a whole session and gives each
block new tables.

The pytest plugin (``services_dynamodb_pytest_plugin``, installed with the
package) offers the same as fixtures:
override ``dynamodb_tables`` to declare your tables and take
``dynamodb_service`` (one service for the session, new tables for each
test), or ``async_dynamodb_service`` in async tests (with pytest-asyncio
installed).
"""

from ._services import (
    SharedServices,
    mock_async_dynamodb_service,
    mock_dynamodb_service,
)
from ._tables import IndexSpec, TableSpec

__all__ = [
    "IndexSpec",
    "SharedServices",
    "TableSpec",
    "mock_async_dynamodb_service",
    "mock_dynamodb_service",
]
