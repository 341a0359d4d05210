"""Networking as the spec implies it: addresses, routes, segmentation, and reachability."""
