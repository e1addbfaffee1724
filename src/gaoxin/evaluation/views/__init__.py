"""Evaluation pages: thin adapters over the selectors and services, one module per subject."""
