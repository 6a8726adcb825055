"""Unit tests for the container runtime rules (CIS section 5) and their helpers."""
