"""The database tables of fleet scans (SQLAlchemy 2 declarative models).

A *scan* runs a site list once; each of its sites is a *scan site* (pending → running → done)
that ends in a *run*: one audit of one site, kept forever with its method, pages, findings and
scores so that runs can be compared over time. *Site leases* make sure that one site is never
audited by two workers at once. The schema is created and upgraded by the Alembic migrations in
``auditor/fleet/store/migrations``; change both together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime(timezone=True)}


class SiteRow(Base):
    __tablename__ = "sites"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    organisation: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(40), default="other")
    start_urls: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[datetime]


class ScanRow(Base):
    __tablename__ = "scans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime]
    finished_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="running")  # running | done
    source: Mapped[str] = mapped_column(Text, default="")  # the site list it came from
    # "schedule:NAME@2026-11-28T06:00": the same schedule slot never starts two scans
    trigger: Mapped[Optional[str]] = mapped_column(String(200), unique=True, nullable=True)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    out_root: Mapped[str] = mapped_column(Text, default="")


class ScanSiteRow(Base):
    __tablename__ = "scan_sites"

    scan_id: Mapped[str] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True)
    site_key: Mapped[str] = mapped_column(ForeignKey("sites.key"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    entry: Mapped[dict[str, Any]] = mapped_column(default=dict)  # SiteEntry.to_json()
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|running|done|failed
    run_id: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    worker: Mapped[str] = mapped_column(String(200), default="")  # who audited (or audits) it
    updated_at: Mapped[datetime]


class SiteLeaseRow(Base):
    __tablename__ = "site_leases"

    site_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200))
    scan_id: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[datetime]


class RunRow(Base):
    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_site_started", "site_key", "started_at"),)

    run_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    site_key: Mapped[str] = mapped_column(ForeignKey("sites.key"))
    scan_id: Mapped[Optional[str]] = mapped_column(String(32), nullable=True, index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    partial: Mapped[bool] = mapped_column(Boolean, default=False)
    assessable: Mapped[bool] = mapped_column(Boolean, default=True)
    not_assessable_reason: Mapped[str] = mapped_column(Text, default="")
    overall_score: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    tool_version: Mapped[str] = mapped_column(String(40), default="")
    framework_id: Mapped[str] = mapped_column(String(100), default="")
    framework_version: Mapped[str] = mapped_column(String(40), default="")
    axe_version: Mapped[str] = mapped_column(String(40), default="")
    browser_version: Mapped[str] = mapped_column(String(80), default="")
    method: Mapped[dict[str, Any]] = mapped_column(default=dict)
    coverage: Mapped[dict[str, Any]] = mapped_column(default=dict)
    out_dir: Mapped[str] = mapped_column(Text, default="")


class PageRow(Base):
    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.run_id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(40))
    http_status: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    title: Mapped[str] = mapped_column(Text, default="")


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_run_fingerprint", "run_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.run_id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(300))
    check_id: Mapped[str] = mapped_column(String(120))
    rule: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(20))
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    pages_total: Mapped[int] = mapped_column(Integer, default=0)
    wcag_sc: Mapped[str] = mapped_column(String(200), default="")
    first_page: Mapped[str] = mapped_column(Text, default="")
    title_nl: Mapped[str] = mapped_column(Text, default="")  # "" when the check gave none (migration 0002)


class ScoreRow(Base):
    __tablename__ = "scores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.run_id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(20))  # principle | criterion | check
    ref_id: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    outcome: Mapped[str] = mapped_column(String(20), default="")
