"""access tokens stored as their SHA-256 only

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 17:30:00
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_tokens = sa.table(
    "access_tokens",
    sa.column("id", sa.String),
    sa.column("token", sa.Text),
    sa.column("token_hash", sa.String),
    sa.column("revoked", sa.Boolean),
)


def upgrade() -> None:
    with op.batch_alter_table("access_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(_tokens.c.id, _tokens.c.token)).all()
    for token_id, token in rows:  # tokens issued before keep working, found by their hash
        # A row a downgrade emptied gets a hash no token has (unique, and never a JWT's).
        digest = hashlib.sha256((token or f"emptied:{token_id}").encode()).hexdigest()
        connection.execute(_tokens.update().where(_tokens.c.id == token_id).values(token_hash=digest))
    with op.batch_alter_table("access_tokens", schema=None) as batch_op:
        batch_op.alter_column("token_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index(batch_op.f("ix_access_tokens_token_hash"), ["token_hash"], unique=True)
        batch_op.drop_column("token")


def downgrade() -> None:
    # The tokens themselves are gone: every one is revoked, and apps ask for new ones.
    with op.batch_alter_table("access_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token", sa.Text(), nullable=False, server_default=""))
    op.get_bind().execute(_tokens.update().values(revoked=True))
    with op.batch_alter_table("access_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_tokens_token_hash"))
        batch_op.drop_column("token_hash")
