"""Benchmarks for relaybot: ingest, fan-out, 112 propagation, memory (`python -m benchmarks`)."""
