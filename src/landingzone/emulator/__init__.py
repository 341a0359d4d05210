"""The embedded AWS: moto's server, driven over HTTP exactly as AWS is."""

from landingzone.emulator.server import Emulator

__all__ = ["Emulator"]
