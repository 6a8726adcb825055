"""Reading images safely: sources (engine, docker-archive, OCI layout, registry, directory),
layer streams with verified digests, whiteout-aware walking. Never extracted onto the host."""
