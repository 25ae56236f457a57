"""The sans-I/O primitives every layer may use: a pause, and the stepper
that drivers run generators of steps with (docs/architecture.md)."""
