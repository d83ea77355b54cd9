"""results publication and certificates

Revision ID: 0016_results_certificates
Revises: 0015_unit_headcount_rollup

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_results_certificates'
down_revision = '0015_unit_headcount_rollup'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('statement', sa.JSON(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('participation', 'prize')", name=op.f('ck_certificates_kind_known')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_certificates_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certificates_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code')),
    sa.UniqueConstraint('round_id', 'user_id', 'kind', name=op.f('uq_certificates_round_id_user_id_kind'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuer', sa.String(length=255), server_default='', nullable=False))
        batch_op.add_column(sa.Column('parent_body', sa.String(length=255), server_default='', nullable=False))
        batch_op.add_column(sa.Column('place', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('signer_title', sa.String(length=255), server_default='', nullable=False))
        batch_op.add_column(sa.Column('signer_name', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('certificate_text', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('certificate_background', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('certificate_seal', sa.LargeBinary(), nullable=True))

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_published_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('results_published_at')

    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.drop_column('certificate_seal')
        batch_op.drop_column('certificate_background')
        batch_op.drop_column('certificate_text')
        batch_op.drop_column('signer_name')
        batch_op.drop_column('signer_title')
        batch_op.drop_column('place')
        batch_op.drop_column('parent_body')
        batch_op.drop_column('issuer')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_user_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_round_id'))

    op.drop_table('certificates')
