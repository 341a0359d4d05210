"""The baseline exporter: account baselines (being written)."""
