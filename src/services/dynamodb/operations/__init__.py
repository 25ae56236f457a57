"""The operations: each written once, as a generator of steps without I/O.

Argument checks, requests, paging, batch rounds, answers and log lines, for
both services; what runs the steps is a driver. They may import the codec,
the sans-I/O primitives and the public vocabulary, never the transport.
"""
