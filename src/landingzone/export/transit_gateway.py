"""The transit_gateway exporter: transit gateways, RAM shares, attachments and route tables (being written)."""
