"""Unit tests for the CIS section 1 host rule helpers."""
