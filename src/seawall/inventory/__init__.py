"""Inventory: analyzers (one module per file type) and the pipeline that turns layers into packages."""
