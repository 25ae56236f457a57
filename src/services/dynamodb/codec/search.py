"""``SearchVectors`` in and out: the search vector and condition checked
and written as DynamoDB JSON, the answer's results read.

The checks are the rules botocore's model (1.44) states for the request:
``SearchVector`` is a list of 1 to 4,096 numbers, each "a 32-bit IEEE-754
floating point number, provided in DynamoDB list format" (``{"N": "0.5"}``,
as botocore's serializer writes an ``AttributeValue``); ``TopK`` is at
least 1; ``IndexName`` is 3 to 255 characters of ``[a-zA-Z0-9_.-]``; and
``SearchConditionExpression`` compares "only top-level attributes" of the
index's search schema with "only the equality operator (``=``)". The
developer guide also describes ``IN``, ``BETWEEN`` and ``OR`` there; the
model the library is built on does not, so they are refused before anything
is sent, as the model says DynamoDB would.
"""

import math
import re
from collections.abc import Iterable, Mapping, Set
from decimal import Decimal
from numbers import Real
from typing import Any

from .codec import value_to_wire
from .load import BadWire, load_map
from .vectors import INDEX_NAME, MAX_DIMENSIONS
from .wire import Wire

FLOAT32_MAX = 3.4028234663852886e38
# An operand: a top-level attribute name or a placeholder; the tokens of a
# condition are operands and single other characters.
OPERAND = re.compile(r"[#:]?[A-Za-z0-9_]+")
# Spaces as DynamoDB's expression grammar takes them (not Unicode's others).
CONDITION_TOKEN = re.compile(r"[ \t\r\n]*(?:(%s)|([^ \t\r\n]))" % OPERAND.pattern)
KEYWORDS = frozenset({"AND", "OR", "NOT", "IN", "BETWEEN"})
NOT_VECTORS = (str, bytes, bytearray, memoryview, Mapping, Set)

ERROR_VECTOR = "vector must be a non-empty sequence of at most 4096 numbers, got %s"
ERROR_VECTOR_NUMBER = (
    "vector[%d] must be a finite number within a 32-bit float's range, got "
    "a %s that is not"
)
ERROR_TOP_K = "top_k must be an integer of at least 1, got %r"
ERROR_INDEX_NAME = (
    "index_name must be 3 to 255 characters of letters, digits, '_', '-' or "
    "'.', got %r"
)
ERROR_CONDITION = (
    "condition may only compare top-level attributes with '=' and join such "
    "comparisons with AND (SearchConditionExpression), got %r (at %r)"
)
ERROR_COMPARISON = (
    "condition must compare an attribute with a value placeholder (a = :v), "
    "got %r (at %r)"
)
ERROR_RESULT = "a search result is not an object with an Item and a numeric Score"


def vector_to_wire(vector: object) -> list[Wire]:
    """The search vector as ``SearchVector`` takes it.

    Args:
        vector: A sequence of numbers (ints, floats, ``Decimal``, or any
            ``numbers.Real`` such as numpy's floats); not bools.

    Returns:
        One ``{"N": ...}`` per number, floats written as ``Decimal(str(x))``
        (the library's float rule, as for every stored number).

    Raises:
        ValueError: If it is empty, longer than 4,096, or holds something
            that is not a finite number a 32-bit float can hold.
    """
    # Unordered (a set) or not numbers (bytes, text): never a vector.
    if isinstance(vector, NOT_VECTORS) or not isinstance(vector, Iterable):
        raise ValueError(ERROR_VECTOR % type(vector).__name__)
    numbers = [_number(value, index) for index, value in enumerate(vector)]
    if not 1 <= len(numbers) <= MAX_DIMENSIONS:
        raise ValueError(ERROR_VECTOR % ("%d numbers" % len(numbers)))
    return [value_to_wire(n, "vector[%d]" % i) for i, n in enumerate(numbers)]


def _number(value: object, index: int) -> int | float | Decimal:
    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        raise ValueError(ERROR_VECTOR_NUMBER % (index, type(value).__name__))
    number: int | float | Decimal
    if isinstance(value, Decimal):
        number, finite = value, value.is_finite()
    else:
        number = value if isinstance(value, int) else float(value)
        finite = math.isfinite(number)
    if not finite or not -FLOAT32_MAX <= number <= FLOAT32_MAX:
        raise ValueError(ERROR_VECTOR_NUMBER % (index, type(value).__name__))
    return number


def check_top_k(top_k: object) -> int:
    """Check ``top_k``: an int (not a bool) of at least 1.

    Raises:
        ValueError: If it is not.
    """
    if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
        raise ValueError(ERROR_TOP_K % (top_k,))
    return top_k


def check_index_name(index_name: object) -> str:
    """Check ``index_name`` against the model's ``IndexName`` rule.

    Raises:
        ValueError: If it breaks it.
    """
    if not isinstance(index_name, str) or not INDEX_NAME.fullmatch(index_name):
        raise ValueError(ERROR_INDEX_NAME % (index_name,))
    return index_name


def check_search_condition(expression: str) -> str:
    """Check a ``SearchConditionExpression``: ``a = :v`` comparisons of
    top-level names or ``#placeholders``, joined by AND, in parentheses or
    not. Anything else (``OR``, ``<``, ``BETWEEN``, functions, nested paths
    ``a.b`` or ``a[0]``) is refused, naming the first part that is not.

    Args:
        expression: The condition as a string (condition objects built).

    Returns:
        The expression, unchanged.

    Raises:
        ValueError: If it is not such a condition.
    """
    tokens = [name or other for name, other in CONDITION_TOKEN.findall(expression)]
    position = _conjunction(tokens, 0, expression)
    if position != len(tokens):
        raise ValueError(ERROR_CONDITION % (expression, tokens[position]))
    return expression


def _conjunction(tokens: list[str], position: int, expression: str) -> int:
    """Parse ``comparison (AND comparison)*``; the position after it."""
    position = _comparison(tokens, position, expression)
    while position < len(tokens) and tokens[position].upper() == "AND":
        position = _comparison(tokens, position + 1, expression)
    return position


def _comparison(tokens: list[str], position: int, expression: str) -> int:
    """Parse ``operand = operand`` or ``( conjunction )``."""
    if _at(tokens, position) == "(":
        position = _conjunction(tokens, position + 1, expression)
        return _expect(tokens, position, ")", expression)
    left = _at(tokens, position)
    position = _operand(tokens, position, expression)
    position = _expect(tokens, position, "=", expression)
    right = _at(tokens, position)
    position = _operand(tokens, position, expression)
    if left.startswith(":") == right.startswith(":"):  # a = b, or :v = :w
        raise ValueError(ERROR_COMPARISON % (expression, left))
    return position


def _operand(tokens: list[str], position: int, expression: str) -> int:
    token = _at(tokens, position)
    if not OPERAND.fullmatch(token) or token.upper() in KEYWORDS:
        raise ValueError(ERROR_CONDITION % (expression, token or "the end"))
    return position + 1


def _expect(tokens: list[str], position: int, wanted: str, expression: str) -> int:
    token = _at(tokens, position)
    if token != wanted:
        raise ValueError(ERROR_CONDITION % (expression, token or "the end"))
    return position + 1


def _at(tokens: list[str], position: int) -> str:
    return tokens[position] if position < len(tokens) else ""


def search_results(results: Any) -> list[dict[str, Any]]:
    """``SearchResults`` of a ``SearchVectors`` answer, as ``json.loads``
    gave them, read: each ``Item`` decoded by the codec (as reads decode
    items), each ``Score`` kept as the number it is (negative for
    ``DOT_PRODUCT`` indexes).

    Args:
        results: The answer's ``SearchResults``.

    Returns:
        ``[{"Item": {...}, "Score": 0.25}, ...]``, in the answer's order.

    Raises:
        BadWire: If it is not a list of such results, or an item is not
            DynamoDB JSON (or another of the codec's errors).
    """
    if type(results) is not list:
        raise BadWire(ERROR_RESULT)
    return [_result(result) for result in results]


def _result(result: Any) -> dict[str, Any]:
    if type(result) is not dict or type(result.get("Item")) is not dict:
        raise BadWire(ERROR_RESULT)
    score: Any = result.get("Score")
    if type(score) not in (int, float) or not math.isfinite(score):
        raise BadWire(ERROR_RESULT)
    return {"Item": load_map(result["Item"]), "Score": score}
