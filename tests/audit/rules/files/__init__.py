"""Unit tests for the CIS section 3 file rule helpers."""
