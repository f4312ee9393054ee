"""Packbench: the application core (domain rules, services, databases, configuration)."""

__version__ = "0.1.0"
