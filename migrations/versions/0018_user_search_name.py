"""users' names without accents, for searches

Revision ID: 0018_user_search_name
Revises: 0017_category_tables

"""
import unicodedata

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018_user_search_name'
down_revision = '0017_category_tables'
branch_labels = None
depends_on = None


def _without_accents(name):
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFC", name or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split()).casefold()


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.String(length=160), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_users_search_name'), ['search_name'], unique=False)
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('name', sa.String),
                     sa.column('search_name', sa.String))
    connection = op.get_bind()
    for user_id, name in connection.execute(sa.select(users.c.id, users.c.name)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(search_name=_without_accents(name)))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_search_name'))
        batch_op.drop_column('search_name')

