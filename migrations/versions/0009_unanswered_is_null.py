"""a cleared answer is SQL NULL, not JSON null

Revision ID: 0009_unanswered_is_null
Revises: 0008_attempt_integrity

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_unanswered_is_null'
down_revision = '0008_attempt_integrity'
branch_labels = None
depends_on = None


def upgrade():
    # Answers cleared before this revision were stored as the JSON value null; unanswered questions
    # are found with "chosen IS NULL", so store them as SQL NULL.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE attempt_items SET chosen = NULL WHERE json_typeof(chosen) = 'null'")
    else:
        op.execute("UPDATE attempt_items SET chosen = NULL WHERE chosen = 'null'")


def downgrade():
    pass  # SQL NULL is what both revisions read as "no answer"
