"""Whether a tracer wraps botocore's client: what ``transport="auto"`` reads.

The X-Ray SDK (``patch(["botocore"])``), ddtrace (``patch(botocore=True)``)
and OpenTelemetry's botocore instrumentation wrap
``BaseClient._make_api_call`` (with ``wrapt``); Sentry's boto3 integration
wraps ``BaseClient.__init__``. A call on the direct transport goes through
neither, so such a tool would lose it: ``"auto"`` then takes the botocore
transport. Read once, when a service is built (the check costs a few
attribute look-ups); these tools patch at start-up, before clients are built.
"""

import types
from pathlib import Path

import botocore
from botocore.client import BaseClient

BOTOCORE_FOLDER = str(Path(botocore.__file__).parent)
WRAPPED_METHODS = ("_make_api_call", "__init__")
OPENTELEMETRY = "opentelemetry"


def botocore_tracer() -> str | None:
    """The module of a tool that wraps botocore's client, if any.

    Returns:
        E.g. ``"aws_xray_sdk.ext.botocore.patch"``, or None when botocore's
        client methods are botocore's own.
    """
    for name in WRAPPED_METHODS:
        owner = _wrapper_module(BaseClient.__dict__.get(name))
        if owner is not None:
            return owner
    return None


def opentelemetry_traces_botocore() -> bool:
    """Whether OpenTelemetry's botocore instrumentation wraps the client
    (it then makes each call's span: the library does not make another).

    Returns:
        True when the instrumentation is active.
    """
    owner = botocore_tracer()
    return owner is not None and owner.startswith(OPENTELEMETRY)


def _wrapper_module(method: object) -> str | None:
    """The module of what wraps ``method``, or None if it is botocore's.

    A ``wrapt`` wrapper is not a function (though it passes ``isinstance``
    checks): its wrapper function names the tool. A plain function is
    botocore's when its code is in botocore's folder (botocore decorates
    ``_make_api_call`` itself).
    """
    if method is None:
        return None
    if type(method) is types.FunctionType:
        if method.__code__.co_filename.startswith(BOTOCORE_FOLDER):
            return None
        return str(method.__module__)
    wrapper = getattr(method, "_self_wrapper", None)
    return str(getattr(wrapper, "__module__", None) or type(method).__module__)
