"""sync: trusted keys, peers' receipts, import ledger, export history

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('trusted_key',
    sa.Column('key_id', S(length=32), nullable=False),
    sa.Column('device_id', S(length=36), nullable=False),
    sa.Column('user_name', S(), nullable=False),
    sa.Column('role', S(), nullable=False),
    sa.Column('signing_key', S(), nullable=False),
    sa.Column('encryption_key', S(), nullable=False),
    sa.Column('fingerprint', S(), nullable=False),
    sa.Column('trusted_at', S(), nullable=False),
    sa.Column('revoked_at', S(), nullable=True),
    sa.PrimaryKeyConstraint('key_id')
    )
    with op.batch_alter_table('trusted_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trusted_key_device_id'), ['device_id'], unique=False)

    op.create_table('sync_peer',
    sa.Column('key_id', S(length=32), nullable=False),
    sa.Column('device_id', S(length=36), nullable=False),
    sa.Column('last_sender_seq', sa.Integer(), nullable=False),
    sa.Column('last_bundle_id', S(), nullable=False),
    sa.Column('receipt', S(), nullable=False),
    sa.Column('updated_at', S(), nullable=False),
    sa.PrimaryKeyConstraint('key_id')
    )
    op.create_table('sync_import',
    sa.Column('bundle_id', S(length=36), nullable=False),
    sa.Column('kind', S(), nullable=False),
    sa.Column('sender_key_id', S(length=32), nullable=False),
    sa.Column('sender_device_id', S(length=36), nullable=False),
    sa.Column('sender_name', S(), nullable=False),
    sa.Column('sender_seq', sa.Integer(), nullable=False),
    sa.Column('file_name', S(), nullable=False),
    sa.Column('file_sha256', S(), nullable=False),
    sa.Column('imported_at', S(), nullable=False),
    sa.Column('revisions_new', sa.Integer(), nullable=False),
    sa.Column('revisions_known', sa.Integer(), nullable=False),
    sa.Column('records_new', sa.Integer(), nullable=False),
    sa.Column('records_updated', sa.Integer(), nullable=False),
    sa.Column('conflicts', sa.Integer(), nullable=False),
    sa.Column('flagged_clocks', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('bundle_id')
    )
    with op.batch_alter_table('sync_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_import_sender_key_id'), ['sender_key_id'], unique=False)

    op.create_table('sync_export',
    sa.Column('bundle_id', S(length=36), nullable=False),
    sa.Column('kind', S(), nullable=False),
    sa.Column('sender_seq', sa.Integer(), nullable=False),
    sa.Column('recipient_key_id', S(), nullable=True),
    sa.Column('recipient_name', S(), nullable=True),
    sa.Column('file_name', S(), nullable=False),
    sa.Column('file_sha256', S(), nullable=False),
    sa.Column('exported_at', S(), nullable=False),
    sa.Column('revisions', sa.Integer(), nullable=False),
    sa.Column('blobs', sa.Integer(), nullable=False),
    sa.Column('encrypted', sa.Boolean(), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('bundle_id')
    )
    with op.batch_alter_table('sync_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_export_sender_seq'), ['sender_seq'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sync_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_export_sender_seq'))
    op.drop_table('sync_export')
    with op.batch_alter_table('sync_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_import_sender_key_id'))
    op.drop_table('sync_import')
    op.drop_table('sync_peer')
    with op.batch_alter_table('trusted_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trusted_key_device_id'))
    op.drop_table('trusted_key')
