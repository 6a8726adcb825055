"""Role-based access control on the Docker Engine API: policy, routes, decision engine, AuthZ plugin and socket proxy."""
