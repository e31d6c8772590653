"""conversation templates: questions as versioned data, answers stored per question key

Existing preparations move into `preparation_answer` without loss: their five fixed prompts
and the leader's shared notes become the answers to the questions of the template
`devtrack-standard`, version 1, which this migration writes with the wording that was asked
(created only when there are rounds to point at it), and every existing round keeps it.

Revision ID: 7d4e2a9c1b30
Revises: 5d2e8c1f7a90
Create Date: 2026-12-03 07:00:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import devtrack.types

# revision identifiers, used by Alembic.
revision = '7d4e2a9c1b30'
down_revision = '5d2e8c1f7a90'
branch_labels = None
depends_on = None

# The prepared columns, the key of the question each becomes, and that question as it was asked.
LEGACY = (
    ('looking_back', 'set-tilbage', 'Set tilbage',
     'Hvad er gået godt siden sidst? Hvad har været svært?', 'material'),
    ('now', 'nu', 'Nu', 'Dine opgaver lige nu, og hvordan du har det med dem.', None),
    ('wellbeing', 'trivsel', 'Trivsel', 'Hvordan trives du på arbejdet?', None),
    ('cooperation', 'samarbejde', 'Samarbejdet med din leder',
     'Hvad fungerer, og hvad kunne gøres anderledes?', None),
    ('ahead', 'fremad', 'Fremad', 'Dine ønsker, og hvilke kompetencer du vil udvikle.', None),
)
SHARED_NOTES = ('shared_notes', 'delte-noter', 'Noter, du deler med medarbejderen',
                'Alt andet i din forberedelse er privat og ses kun af dig.')


def _enum(*values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table('conversation_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('kind', _enum('mus', 'lus', 'gus', name='template_kind'), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('created_at', devtrack.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_template')),
    sa.UniqueConstraint('key', name=op.f('uq_conversation_template_key'))
    )
    op.create_table('template_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('sources', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('imported_at', devtrack.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['conversation_template.id'], name=op.f('fk_template_version_template_id_conversation_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_version')),
    sa.UniqueConstraint('template_id', 'number', name=op.f('uq_template_version_template_id_number'))
    )
    with op.batch_alter_table('template_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_template_version_template_id'), ['template_id'], unique=False)
    op.create_table('template_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('panel', _enum('topics', 'material', name='template_panel'), nullable=True),
    sa.Column('is_group', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['template_version.id'], name=op.f('fk_template_section_version_id_template_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_section')),
    sa.UniqueConstraint('version_id', 'key', name=op.f('uq_template_section_version_id_key'))
    )
    with op.batch_alter_table('template_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_template_section_version_id'), ['version_id'], unique=False)
    op.create_table('template_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('employee_text', sa.Text(), nullable=False),
    sa.Column('employee_help', sa.Text(), nullable=False),
    sa.Column('leader_text', sa.Text(), nullable=False),
    sa.Column('leader_help', sa.Text(), nullable=False),
    sa.Column('employee_shares', sa.Boolean(), nullable=False),
    sa.Column('leader_shares', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['section_id'], ['template_section.id'], name=op.f('fk_template_question_section_id_template_section')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_question')),
    sa.UniqueConstraint('section_id', 'key', name=op.f('uq_template_question_section_id_key'))
    )
    with op.batch_alter_table('template_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_template_question_section_id'), ['section_id'], unique=False)
    op.create_table('preparation_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('preparation_id', sa.Integer(), nullable=False),
    sa.Column('question_key', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['preparation_id'], ['preparation.id'], name=op.f('fk_preparation_answer_preparation_id_preparation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_preparation_answer')),
    sa.UniqueConstraint('preparation_id', 'question_key', name=op.f('uq_preparation_answer_preparation_id_question_key'))
    )
    op.create_table('section_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('section_key', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', devtrack.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_section_note_conversation_id_conversation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section_note')),
    sa.UniqueConstraint('conversation_id', 'section_key', name=op.f('uq_section_note_conversation_id_section_key'))
    )
    with op.batch_alter_table('conversation_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template_version_id', sa.Integer(), nullable=True))

    connection = op.get_bind()
    if connection.execute(sa.text('SELECT COUNT(*) FROM conversation_round')).scalar():
        version_id = _write_legacy_template(connection)
        connection.execute(
            sa.text('UPDATE conversation_round SET template_version_id = :id'), {'id': version_id}
        )
        for column, key, *_rest in (*LEGACY, SHARED_NOTES):
            connection.execute(sa.text(
                'INSERT INTO preparation_answer (preparation_id, question_key, text)'
                f' SELECT id, :key, {column} FROM preparation WHERE {column} <> :empty'
            ), {'key': key, 'empty': ''})

    with op.batch_alter_table('conversation_round', schema=None) as batch_op:
        batch_op.alter_column('template_version_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_conversation_round_template_version_id'), ['template_version_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_conversation_round_template_version_id_template_version'), 'template_version', ['template_version_id'], ['id'])
    with op.batch_alter_table('preparation', schema=None) as batch_op:
        for column in ('looking_back', 'now', 'ahead', 'wellbeing', 'cooperation', 'shared_notes'):
            batch_op.drop_column(column)


def _insert(connection, table, values):
    """Insert one row and return its id (RETURNING works on both databases)."""
    columns = ', '.join(f'"{name}"' for name in values)
    marks = ', '.join(f':{name}' for name in values)
    return connection.execute(
        sa.text(f'INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id'), values
    ).scalar_one()


def _write_legacy_template(connection):
    """The questions devtrack asked before templates, exactly as asked (both sides got the
    employee's wording; only the leader had the shared notes)."""
    now = datetime.now(UTC)
    template_id = _insert(connection, 'conversation_template', {
        'key': 'devtrack-standard', 'kind': 'mus', 'is_default': True, 'created_at': now,
    })
    version_id = _insert(connection, 'template_version', {
        'template_id': template_id, 'number': 1, 'title': 'devtrack: MUS (de faste spørgsmål)',
        'intro': '', 'sources': 'devtrack: de faste spørgsmål før samtaleskabeloner',
        'content_hash': 'migreret', 'imported_at': now,
    })
    position = 0
    for _column, key, title, text, panel in LEGACY:
        section_id = _insert(connection, 'template_section', {
            'version_id': version_id, 'key': key, 'position': position, 'title': title,
            'intro': '', 'panel': panel, 'is_group': False,
        })
        position += 1
        _insert(connection, 'template_question', {
            'section_id': section_id, 'key': key, 'position': 0,
            'employee_text': text, 'employee_help': '', 'leader_text': text, 'leader_help': '',
            'employee_shares': True, 'leader_shares': False,
        })
    section_id = _insert(connection, 'template_section', {
        'version_id': version_id, 'key': 'tale-om', 'position': position,
        'title': 'Det vil jeg tale om', 'intro': '', 'panel': 'topics', 'is_group': False,
    })
    _column, key, text, help_text = SHARED_NOTES
    _insert(connection, 'template_question', {
        'section_id': section_id, 'key': key, 'position': 0,
        'employee_text': '', 'employee_help': '', 'leader_text': text, 'leader_help': help_text,
        'employee_shares': True, 'leader_shares': True,
    })
    return version_id


def downgrade():
    with op.batch_alter_table('preparation', schema=None) as batch_op:
        for column in ('looking_back', 'now', 'ahead', 'wellbeing', 'cooperation', 'shared_notes'):
            batch_op.add_column(sa.Column(column, sa.Text(), nullable=False, server_default=''))
    connection = op.get_bind()
    for column, key, *_rest in (*LEGACY, SHARED_NOTES):
        connection.execute(sa.text(
            f'UPDATE preparation SET {column} = COALESCE((SELECT text FROM preparation_answer'
            ' WHERE preparation_answer.preparation_id = preparation.id'
            ' AND preparation_answer.question_key = :key), :empty)'
        ), {'key': key, 'empty': ''})
    with op.batch_alter_table('preparation', schema=None) as batch_op:
        for column in ('looking_back', 'now', 'ahead', 'wellbeing', 'cooperation', 'shared_notes'):
            batch_op.alter_column(column, existing_type=sa.Text(), server_default=None)
    with op.batch_alter_table('conversation_round', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_conversation_round_template_version_id_template_version'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_conversation_round_template_version_id'))
        batch_op.drop_column('template_version_id')
    op.drop_table('section_note')
    op.drop_table('preparation_answer')
    with op.batch_alter_table('template_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_template_question_section_id'))
    op.drop_table('template_question')
    with op.batch_alter_table('template_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_template_section_version_id'))
    op.drop_table('template_section')
    with op.batch_alter_table('template_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_template_version_template_id'))
    op.drop_table('template_version')
    op.drop_table('conversation_template')
