"""Unit tests of the filtering socket proxy (fake engine, fake enforcer, socketpairs)."""
