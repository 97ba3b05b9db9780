"""Benchmarks of gametheory against its peers (pygambit, nashpy, QuantEcon); run with ``python -m benchmarks``."""
