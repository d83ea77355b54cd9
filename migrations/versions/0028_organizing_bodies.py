"""organizing bodies own contests and banks; members with a role in each; a question's key checked by a second person

Existing organizers become managers of one body that owns every existing contest, bank and pending upload, so
everything stays reachable by the people who could reach it before.

Revision ID: 0028_organizing_bodies
Revises: 0027_round_reports

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028_organizing_bodies'
down_revision = '0027_round_reports'
branch_labels = None
depends_on = None

OWNED = ('contests', 'question_banks', 'bank_uploads')


def upgrade():
    op.create_table(
        'bodies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('short_name', sa.String(length=60), nullable=False),
        sa.Column('heading', sa.String(length=255), server_default='', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bodies')),
        sa.UniqueConstraint('name', name=op.f('uq_bodies_name')),
        sa.UniqueConstraint('short_name', name=op.f('uq_bodies_short_name')),
    )
    op.create_table(
        'body_memberships',
        sa.Column('body_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('manager', 'author', 'operator', 'reviewer', 'viewer')", name=op.f('ck_body_memberships_role_known')
        ),
        sa.ForeignKeyConstraint(
            ['body_id'], ['bodies.id'], name=op.f('fk_body_memberships_body_id_bodies'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_body_memberships_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('body_id', 'user_id', name=op.f('pk_body_memberships')),
    )
    with op.batch_alter_table('body_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_body_memberships_user_id'), ['user_id'], unique=False)

    for table in OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('body_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require_review', sa.Boolean(), server_default='0', nullable=False))
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entries_body_id'), ['body_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_audit_entries_body_id_bodies'), 'bodies', ['body_id'], ['id'], ondelete='SET NULL'
        )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('edited_by_cli', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('review_state', sa.String(length=10), server_default='unchecked', nullable=False))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('review_comment', sa.Text(), server_default='', nullable=False))
        batch_op.create_check_constraint(
            'review_state_known', "review_state IN ('unchecked', 'checked', 'disputed')"
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_questions_edited_by_id_users'), 'users', ['edited_by_id'], ['id'], ondelete='SET NULL'
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_questions_reviewed_by_id_users'), 'users', ['reviewed_by_id'], ['id'], ondelete='SET NULL'
        )

    _one_body_for_what_exists()

    for table in OWNED:
        ondelete = 'CASCADE' if table == 'bank_uploads' else 'RESTRICT'
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('body_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_body_id_bodies'), 'bodies', ['body_id'], ['id'], ondelete=ondelete
            )
            if table != 'bank_uploads':
                batch_op.create_index(batch_op.f(f'ix_{table}_body_id'), ['body_id'], unique=False)


def _one_body_for_what_exists():
    """Every existing organizer manages one body that owns every existing contest, bank and upload."""
    connection = op.get_bind()
    organizers = connection.execute(sa.text("SELECT id FROM users WHERE role = 'organizer'")).scalars().all()
    owned = sum(connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() or 0 for table in OWNED)
    if not organizers and not owned:
        return
    issuer = connection.execute(
        sa.text("SELECT issuer, parent_body FROM contests WHERE issuer != '' ORDER BY id LIMIT 1")
    ).first()
    now = datetime.now(UTC)
    connection.execute(
        sa.text(
            "INSERT INTO bodies (name, short_name, heading, created_at) VALUES (:name, :short, :heading, :now)"
        ),
        {
            "name": issuer[0] if issuer else 'Ban Tổ chức cuộc thi',
            "short": 'BTC',
            "heading": issuer[1] if issuer else '',
            "now": now if connection.dialect.name != 'sqlite' else now.replace(tzinfo=None),
        },
    )
    body_id = connection.execute(sa.text("SELECT id FROM bodies ORDER BY id LIMIT 1")).scalar()
    for user_id in organizers:
        connection.execute(
            sa.text(
                "INSERT INTO body_memberships (body_id, user_id, role, created_at) "
                "VALUES (:body, :user, 'manager', :now)"
            ),
            {"body": body_id, "user": user_id, "now": now if connection.dialect.name != 'sqlite' else now.replace(tzinfo=None)},
        )
    for table in OWNED:
        connection.execute(sa.text(f"UPDATE {table} SET body_id = :body"), {"body": body_id})
    connection.execute(
        sa.text(
            "UPDATE audit_entries SET body_id = :body WHERE target LIKE 'contest:%' OR target LIKE 'round:%' "
            "OR target LIKE 'bank:%' OR target LIKE 'question:%' OR target LIKE 'upload:%'"
        ),
        {"body": body_id},
    )


def downgrade():
    for table in reversed(OWNED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table != 'bank_uploads':
                batch_op.drop_index(batch_op.f(f'ix_{table}_body_id'))
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_body_id_bodies'), type_='foreignkey')
            batch_op.drop_column('body_id')
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.drop_column('require_review')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_entries_body_id_bodies'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_audit_entries_body_id'))
        batch_op.drop_column('body_id')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_questions_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_questions_edited_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint('review_state_known', type_='check')
        for column in ('review_comment', 'reviewed_at', 'reviewed_by_id', 'review_state', 'edited_by_cli', 'edited_by_id'):
            batch_op.drop_column(column)
    with op.batch_alter_table('body_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_body_memberships_user_id'))
    op.drop_table('body_memberships')
    op.drop_table('bodies')
