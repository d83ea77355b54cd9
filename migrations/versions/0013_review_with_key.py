"""a round may show the right answers while it is still open only when the organizer says so

Revision ID: 0013_review_with_key
Revises: 0012_audit_actor_name

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_review_with_key'
down_revision = '0012_audit_actor_name'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rounds_review_known'), type_='check')
        batch_op.create_check_constraint(
            'review_known', "review IN ('never', 'after_attempt', 'attempt_with_key', 'after_close')"
        )


def downgrade():
    op.execute("UPDATE rounds SET review = 'after_attempt' WHERE review = 'attempt_with_key'")
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rounds_review_known'), type_='check')
        batch_op.create_check_constraint('review_known', "review IN ('never', 'after_attempt', 'after_close')")
