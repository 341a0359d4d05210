"""The landing-zone spec: read, merge, check against the schema (semantic
checks live in `landingzone.validate`)."""

from landingzone.spec.loader import LoadedSpec, ReadSpec, read_spec
from landingzone.spec.placeholders import PlaceholderError, fill_placeholders
from landingzone.spec.provenance import Provenance

__all__ = [
    "LoadedSpec",
    "PlaceholderError",
    "Provenance",
    "ReadSpec",
    "fill_placeholders",
    "read_spec",
]
