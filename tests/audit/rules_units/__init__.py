"""Unit tests for the pure helpers behind audit rules."""
