"""The ci_federation exporter: CI OIDC providers and deploy roles (being written)."""
