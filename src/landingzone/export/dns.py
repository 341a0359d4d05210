"""The dns exporter: private hosted zones and their cross-account associations (being written)."""
