"""Benchmark definitions (data)."""
