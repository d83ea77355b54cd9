"""units' headcount: own staff plus the units below, unless set by hand

Revision ID: 0015_unit_headcount_rollup
Revises: 0014_eligibility

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_unit_headcount_rollup'
down_revision = '0014_eligibility'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('headcount_override', sa.Integer(), nullable=True))
        batch_op.create_check_constraint('staff_not_negative', 'staff >= 0')
        batch_op.create_check_constraint(
            'headcount_override_not_negative', 'headcount_override IS NULL OR headcount_override >= 0'
        )
    # What was typed stays what counts: a unit with units below keeps its typed headcount as set by hand (when it
    # had one); a unit without keeps it as its own staff. `headcount` itself stays the number in use.
    op.execute(
        "UPDATE units SET headcount_override = headcount WHERE headcount > 0 "
        "AND EXISTS (SELECT 1 FROM units AS below WHERE below.parent_id = units.id)"
    )
    op.execute(
        "UPDATE units SET staff = headcount "
        "WHERE NOT EXISTS (SELECT 1 FROM units AS below WHERE below.parent_id = units.id)"
    )
    # A unit with units below and no typed headcount is worked out now, not at the next edit of some other unit.
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, parent_id, staff, headcount_override, depth FROM units")).all()
    total = {}
    below = {}
    for row in rows:
        below.setdefault(row.parent_id, []).append(row.id)
    for row in sorted(rows, key=lambda row: -row.depth):
        worked_out = row.staff + sum(total[child] for child in below.get(row.id, []))
        total[row.id] = row.headcount_override if row.headcount_override is not None else worked_out
    for unit_id, headcount in total.items():
        connection.execute(sa.text("UPDATE units SET headcount = :count WHERE id = :id"), {"count": headcount, "id": unit_id})


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_units_headcount_override_not_negative'), type_='check')
        batch_op.drop_constraint(op.f('ck_units_staff_not_negative'), type_='check')
        batch_op.drop_column('headcount_override')
        batch_op.drop_column('staff')
