"""unit search text: code and name without accents, for the unit picker

Revision ID: 0003_unit_search_text
Revises: 0002_bank_uploads

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0003_unit_search_text'
down_revision = '0002_bank_uploads'
branch_labels = None
depends_on = None


def _search_text(code, name):
    text = unicodedata.normalize("NFD", name or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = " ".join(text.split()).casefold()
    return f"{words} {code.casefold()}"


def upgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=300), nullable=False, server_default=''))
    units = sa.table('units', sa.column('id', sa.Integer), sa.column('code', sa.String),
                     sa.column('name', sa.String), sa.column('search_text', sa.String))
    connection = op.get_bind()
    for unit_id, code, name in connection.execute(sa.select(units.c.id, units.c.code, units.c.name)).all():
        connection.execute(units.update().where(units.c.id == unit_id).values(search_text=_search_text(code, name)))


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('search_text')
