"""seawall: a Docker security toolkit (CIS audit, lifecycle checks, and more to come)."""

__version__ = "0.1.0"
