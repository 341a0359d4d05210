"""The transit_gateway exporter: gateways, RAM shares, attachments, route tables (being written)."""
