"""an upload's reading kept: the file is read and its pictures prepared once, at upload

Revision ID: 0021_upload_reading
Revises: 0020_pictures

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_upload_reading'
down_revision = '0020_pictures'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bank_uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reading', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('bank_uploads', schema=None) as batch_op:
        batch_op.drop_column('reading')
