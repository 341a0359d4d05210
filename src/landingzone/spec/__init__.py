"""The landing-zone spec: load, merge, validate."""
