"""Every table that points at a person is claimed by a feature's purge and export hooks.

Retention and "Mine data" only run what the features register (`<feature>/personal_data.py`);
a new table of personal data that no feature claims would silently survive retention and be
missing from the export, so this fails until its feature registers it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table

from devtrack.extensions import db
from devtrack.personal_data import PersonalData, PurgeScope, registered


def tables_pointing_at_person(metadata: MetaData) -> set[str]:
    return {
        table.name
        for table in metadata.sorted_tables
        if any(key.column.table.name == "person" for key in table.foreign_keys)
    }


def unclaimed(metadata: MetaData, hooks: list[PersonalData]) -> set[str]:
    claimed = {table for hook in hooks for table in hook.tables}
    return tables_pointing_at_person(metadata) - claimed


def test_every_table_pointing_at_a_person_is_claimed_by_a_feature(app: Flask) -> None:
    assert unclaimed(db.metadata, registered()) == set()


def test_a_new_table_of_personal_data_that_nobody_claims_is_found(app: Flask) -> None:
    metadata = MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(metadata)
    Table(
        "diary_entry",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("author_id", ForeignKey("person.id")),
    )
    assert unclaimed(metadata, registered()) == {"diary_entry"}


def test_each_table_is_claimed_once_and_purged_only_by_its_claimant(app: Flask) -> None:
    claims = [table for hook in registered() for table in hook.tables]
    assert len(claims) == len(set(claims))
    assert set(claims) <= set(db.metadata.tables)
    now = datetime.now(UTC)
    scope = PurgeScope(person_ids=[1], start_of_today=now, access_log_before=now)
    for hook in registered():
        if hook.purge is not None:
            touched = {statement.table.name for _name, statement in hook.purge(scope)}  # type: ignore[union-attr]
            assert touched <= set(hook.tables), hook.feature
