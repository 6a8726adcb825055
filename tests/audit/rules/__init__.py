"""Audit rule tests: fixture folders per rule ID, unit tests per section."""
