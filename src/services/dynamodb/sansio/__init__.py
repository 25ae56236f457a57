"""The sans-I/O step primitives every layer may use (see docs/architecture.md)."""
