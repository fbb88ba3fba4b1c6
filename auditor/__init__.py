"""auditor: website audit crawler for the Flemish digital service strategy."""

__version__ = "0.1.0"
