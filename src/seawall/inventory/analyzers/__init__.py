"""Analyzer modules, one per file type. The catalogue lists them explicitly (``catalogue.py``)."""
