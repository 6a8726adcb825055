"""The engine edge: the only package that talks to a Docker engine (docker SDK, timeouts, API version)."""
