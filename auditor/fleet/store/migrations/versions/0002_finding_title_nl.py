"""Findings keep their Dutch title too (result schema 1.5), for the Dutch portfolio report.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("findings", sa.Column("title_nl", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("findings", "title_nl")
