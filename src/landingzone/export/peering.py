"""The peering exporter: VPC peering across accounts (being written)."""
