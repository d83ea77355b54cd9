"""unit kinds for the two-level local government (1 July 2025): ward, special zone, association; districts kept

Revision ID: 0024_two_level_units
Revises: 0023_one_person

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_two_level_units'
down_revision = '0023_one_person'
branch_labels = None
depends_on = None

OLD = ('province', 'ministry', 'department', 'agency', 'district', 'commune', 'union', 'school', 'enterprise', 'other')
NEW = (
    'province', 'ministry', 'department', 'agency', 'district', 'commune', 'ward', 'special_zone', 'union',
    'association', 'school', 'enterprise', 'other',
)


def _kinds(kinds):
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def upgrade():
    # existing units keep their kinds (districts included: the units page lists them to review)
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_units_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_units_kind_known'), _kinds(NEW))


def downgrade():
    op.execute("UPDATE units SET kind = 'commune' WHERE kind IN ('ward', 'special_zone')")
    op.execute("UPDATE units SET kind = 'union' WHERE kind = 'association'")
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_units_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_units_kind_known'), _kinds(OLD))
