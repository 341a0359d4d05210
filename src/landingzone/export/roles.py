"""The roles exporter: cross-account roles and instance profiles (being written)."""
