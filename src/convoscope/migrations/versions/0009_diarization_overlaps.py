"""diarization overlaps: overlapped speech per conversation, for the analytics

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "speech_overlaps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("other_member_id", sa.String(length=64), nullable=False),
        sa.Column("start_seconds", sa.Float(), nullable=False),
        sa.Column("end_seconds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["other_member_id"], ["members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_speech_overlaps_conversation_id", "speech_overlaps", ["conversation_id"])
    op.create_index("ix_speech_overlaps_job_id", "speech_overlaps", ["job_id"])


def downgrade() -> None:
    op.drop_index("ix_speech_overlaps_job_id", table_name="speech_overlaps")
    op.drop_index("ix_speech_overlaps_conversation_id", table_name="speech_overlaps")
    op.drop_table("speech_overlaps")
