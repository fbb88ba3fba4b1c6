"""Fleet tables: sites, scans, scan sites, site leases, runs, pages, findings, scores.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("organisation", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("start_urls", sa.JSON(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "scans",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("finished_at", TZ, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("trigger", sa.String(200), nullable=True, unique=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("out_root", sa.Text(), nullable=False),
    )
    op.create_table(
        "scan_sites",
        sa.Column("scan_id", sa.String(32), sa.ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("site_key", sa.String(80), sa.ForeignKey("sites.key"), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("entry", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("run_id", sa.String(32), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("worker", sa.String(200), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "site_leases",
        sa.Column("site_key", sa.String(80), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("scan_id", sa.String(32), nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("run_id", sa.String(32), primary_key=True),
        sa.Column("site_key", sa.String(80), sa.ForeignKey("sites.key"), nullable=False),
        sa.Column("scan_id", sa.String(32), nullable=True),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ, nullable=True),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column("assessable", sa.Boolean(), nullable=False),
        sa.Column("not_assessable_reason", sa.Text(), nullable=False),
        sa.Column("overall_score", sa.Float(), nullable=True),
        sa.Column("tool_version", sa.String(40), nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("framework_version", sa.String(40), nullable=False),
        sa.Column("axe_version", sa.String(40), nullable=False),
        sa.Column("browser_version", sa.String(80), nullable=False),
        sa.Column("method", sa.JSON(), nullable=False),
        sa.Column("coverage", sa.JSON(), nullable=False),
        sa.Column("out_dir", sa.Text(), nullable=False),
    )
    op.create_index("ix_runs_site_started", "runs", ["site_key", "started_at"])
    op.create_index("ix_runs_scan_id", "runs", ["scan_id"])
    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(32), sa.ForeignKey("runs.run_id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
    )
    op.create_index("ix_pages_run_id", "pages", ["run_id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(32), sa.ForeignKey("runs.run_id", ondelete="CASCADE"), nullable=False),
        sa.Column("fingerprint", sa.String(300), nullable=False),
        sa.Column("check_id", sa.String(120), nullable=False),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("pages_total", sa.Integer(), nullable=False),
        sa.Column("wcag_sc", sa.String(200), nullable=False),
        sa.Column("first_page", sa.Text(), nullable=False),
    )
    op.create_index("ix_findings_run_fingerprint", "findings", ["run_id", "fingerprint"])
    op.create_table(
        "scores",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(32), sa.ForeignKey("runs.run_id", ondelete="CASCADE"), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("ref_id", sa.String(120), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=False),
    )
    op.create_index("ix_scores_run_id", "scores", ["run_id"])


def downgrade() -> None:
    for table in ("scores", "findings", "pages", "runs", "site_leases", "scan_sites", "scans", "sites"):
        op.drop_table(table)
