"""certificates drawn once by a worker: each PDF stored, and the queue of those still to draw

Revision ID: 0026_certificate_files
Revises: 0025_reset_and_help

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026_certificate_files'
down_revision = '0025_reset_and_help'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'certificate_files',
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('template', sa.String(length=10), nullable=False),
        sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['certificate_id'], ['certificates.id'],
            name=op.f('fk_certificate_files_certificate_id_certificates'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('certificate_id', name=op.f('pk_certificate_files')),
    )
    op.create_table(
        'certificate_queue',
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ['certificate_id'], ['certificates.id'],
            name=op.f('fk_certificate_queue_certificate_id_certificates'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['round_id'], ['rounds.id'], name=op.f('fk_certificate_queue_round_id_rounds'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('certificate_id', name=op.f('pk_certificate_queue')),
    )
    op.create_index(op.f('ix_certificate_queue_round_id'), 'certificate_queue', ['round_id'], unique=False)
    op.create_index('ix_certificate_queue_next', 'certificate_queue', ['failures', 'certificate_id'], unique=False)
    # certificates issued before: the worker draws them once (what was cached for a day is stored for good)
    op.execute(
        "INSERT INTO certificate_queue (certificate_id, round_id, queued_at, failures) "
        "SELECT certificates.id, certificates.round_id, CURRENT_TIMESTAMP, 0 FROM certificates "
        "JOIN rounds ON rounds.id = certificates.round_id "
        "WHERE certificates.revoked_at IS NULL AND rounds.results_published_at IS NOT NULL"
    )


def downgrade():
    op.drop_index('ix_certificate_queue_next', table_name='certificate_queue')
    op.drop_index(op.f('ix_certificate_queue_round_id'), table_name='certificate_queue')
    op.drop_table('certificate_queue')
    op.drop_table('certificate_files')
