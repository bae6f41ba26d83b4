"""voice library: a sample's voiceprint as heard on a phone line

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 03:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voices") as batch:
        batch.add_column(sa.Column("phone_voiceprint", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("voices") as batch:
        batch.drop_column("phone_voiceprint")
