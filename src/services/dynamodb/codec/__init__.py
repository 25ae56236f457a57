"""The codec: values in and out, with no I/O and nothing else of the library.

Python values to DynamoDB JSON and back (``wire``, ``codec``, ``load``,
``values``), expressions and updates, pydantic models as items, answer
checks (``answers``, ``shapes``), table descriptions and secret redaction.
It imports nothing of the library outside this folder (docs/architecture.md).
"""
