"""The drivers: what runs an operation's steps, blocking or on an event loop.

Each opens the service's connection (the transport) and performs the steps
the operations yield: calls, pauses, waits, parallel segments.
"""
