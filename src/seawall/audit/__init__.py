"""The audit: CIS Docker Benchmark and lifecycle checks as pure rules over ``AuditFacts``."""
