"""Every operation of both services, written once as steps (see
:mod:`._steps`): each service is these operations and its driver."""

from ._batches import BatchOperations
from ._items import ItemOperations
from ._queries import QueryOperations
from ._scans import ScanOperations
from ._statements import StatementOperations
from ._table_updates import TableChanges
from ._transactions import TransactionOperations


class Operations(
    BatchOperations,
    ItemOperations,
    QueryOperations,
    ScanOperations,
    StatementOperations,
    TableChanges,
    TransactionOperations,
):
    """Table, item, query, scan, batch, transaction and PartiQL operations;
    what runs their steps is the driver a service adds."""
