"""The transport: how one DynamoDB call reaches the server and comes back.

The exchange (steps without I/O: endpoints, signing, botocore's retry rules
and parser), the blocking and async connection pools over llhttp, the
botocore client path, tracing. It may import the codec, the sans-I/O
primitives and the public vocabulary, never the operations.
"""
