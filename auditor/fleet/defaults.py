"""Defaults of the fleet commands, apart from ``auditor.fleet.scan`` so the CLI can show them in its
options without importing the store (SQLAlchemy) on every start-up."""

DEFAULT_LEASE_S = 120.0
DEFAULT_OUT_ROOT = "results/fleet"
