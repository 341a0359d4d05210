"""landingzone (lz): build, verify and keep a multi-account AWS organization from one spec."""

__version__ = "0.1.0"
