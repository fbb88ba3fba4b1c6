"""Fleet storage: runs, pages, findings and scores in SQLite (default) or PostgreSQL."""

from auditor.fleet.store.database import (
    DEFAULT_DB_URL,
    DONE,
    FAILED,
    PENDING,
    RUNNING,
    Store,
    StoreError,
    normalise_db_url,
    owner_is_dead,
    worker_identity,
)

__all__ = ["DEFAULT_DB_URL", "DONE", "FAILED", "PENDING", "RUNNING", "Store", "StoreError", "normalise_db_url",
           "owner_is_dead", "worker_identity"]
