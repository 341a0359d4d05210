"""The network exporter: VPCs, subnets, route tables, gateways, endpoints (being written)."""
