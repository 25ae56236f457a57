"""Every operation of both services, written once as steps (see
:mod:`.steps`): each service is these operations and its driver."""

from .batches import BatchOperations
from .items import ItemOperations
from .queries import QueryOperations
from .scans import ScanOperations
from .statements import StatementOperations
from .streams import StreamOperations
from .table_settings import TableSettingOperations
from .table_updates import TableChanges
from .transactions import TransactionOperations
from .vectors import VectorOperations


class Operations(
    BatchOperations,
    ItemOperations,
    QueryOperations,
    ScanOperations,
    StatementOperations,
    StreamOperations,
    TableChanges,
    TableSettingOperations,
    TransactionOperations,
    VectorOperations,
):
    """Table, table setting, item, query, scan, batch, transaction, PartiQL,
    stream and vector search operations; what runs their steps is the driver
    a service adds."""
