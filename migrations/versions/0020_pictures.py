"""pictures in questions and options

Revision ID: 0020_pictures
Revises: 0019_practice

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_pictures'
down_revision = '0019_practice'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pictures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pictures')),
        sa.UniqueConstraint('digest', name=op.f('uq_pictures_digest')),
    )
    for table in ('questions', 'options'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('picture_id', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('picture_alt', sa.String(length=300), server_default='', nullable=False))
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_picture_id_pictures'), 'pictures', ['picture_id'], ['id'], ondelete='SET NULL'
            )


def downgrade():
    for table in ('options', 'questions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_picture_id_pictures'), type_='foreignkey')
            batch_op.drop_column('picture_alt')
            batch_op.drop_column('picture_id')
    op.drop_table('pictures')
