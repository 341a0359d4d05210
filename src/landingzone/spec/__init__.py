"""The landing-zone spec: load, merge, validate."""

from landingzone.spec.loader import LoadedSpec, load_spec
from landingzone.spec.placeholders import PlaceholderError, fill_placeholders
from landingzone.spec.provenance import Provenance

__all__ = ["LoadedSpec", "PlaceholderError", "Provenance", "fill_placeholders", "load_spec"]
