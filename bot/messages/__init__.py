"""Block Kit builders: pure functions from plain values to message payloads."""
