"""The full-text search index of activities, kept by triggers derived from the declaration.

The index has one text column, fed from every field declared `search=True` on the activity
(`domain/records.py`), and the place's name. Marking another field searchable changes only
the triggers: `ensure_current` sees that the declared fields differ from those the index
was built from, rebuilds the triggers and the index once, and records the new list.

Indexing in the database itself, in the statement that writes the row, cannot drift from
the table and costs no round trip per batch.

On PostgreSQL the index is a table of `tsvector`s (`num`, `doc`) with a GIN index, kept by
one trigger function: the text is folded by `unaccent` and cut into the words SQLite's
`unicode61` tokenizer would see (letters and digits), so a search finds the same
activities on both (`postgres.tsquery` builds the query the same way).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ca_desktop.domain.records import spec_for
from ca_desktop.store.tables import RECORD_TABLES

TABLE = "activity_fts"
TOKENIZER = "unicode61 remove_diacritics 2"
# Prefix indexes for one- and two-letter prefixes: search as you type asks for "w*" and
# "wa*" first, which otherwise merge the lists of every word starting so (50 ms at 100,000
# activities for one letter; 0.3 ms with the index, which adds about 6 MB there).
PREFIXES = "1 2"
_META_KEY = "search_fields"
_TRIGGERS = ("activity_fts_insert", "activity_fts_update", "activity_fts_delete")


def searched_fields() -> tuple[str, ...]:
    """The activity fields the index holds: declared searchable, and a column of the table."""
    columns = RECORD_TABLES["activity"].__table__.columns  # type: ignore[attr-defined]
    return tuple(name for name in spec_for("activity").searchable if name in columns)


def _text_of(row: str, fields: tuple[str, ...]) -> str:
    # Field names come from the declaration, never from outside: safe to put in SQL.
    return " || char(10) || ".join(f"coalesce({row}.{name}, '')" for name in fields) or "''"


def _on_server(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def create_table(conn: Connection) -> None:
    """A new, empty index table (an existing one is replaced)."""
    if _on_server(conn):
        _create_server_table(conn)
        return
    conn.execute(
        text(
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5(body, place, tokenize='{TOKENIZER}', "
            f"prefix='{PREFIXES}')"
        )
    )


def install(conn: Connection) -> None:
    """(Re)create the triggers from the declaration and rebuild the index from the table."""
    fields = searched_fields()
    if _on_server(conn):
        _install_on_server(conn, fields)
        _remember(conn, fields)
        return
    values = (
        f"new.num, {_text_of('new', fields)}, "
        "coalesce((SELECT name FROM place WHERE place.id = new.place_id), '')"
    )
    for name in _TRIGGERS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    conn.execute(
        text(
            f"CREATE TRIGGER activity_fts_insert AFTER INSERT ON activity WHEN new.deleted = 0 "
            f"BEGIN INSERT INTO {TABLE}(rowid, body, place) VALUES ({values}); END"
        )
    )
    conn.execute(
        text(
            f"CREATE TRIGGER activity_fts_update AFTER UPDATE ON activity BEGIN "
            f"DELETE FROM {TABLE} WHERE rowid = old.num; "
            f"INSERT INTO {TABLE}(rowid, body, place) SELECT {values} WHERE new.deleted = 0; END"
        )
    )
    conn.execute(
        text(
            f"CREATE TRIGGER activity_fts_delete AFTER DELETE ON activity BEGIN "
            f"DELETE FROM {TABLE} WHERE rowid = old.num; END"
        )
    )
    conn.execute(text(f"DELETE FROM {TABLE}"))
    conn.execute(
        text(
            f"INSERT INTO {TABLE}(rowid, body, place) SELECT a.num, {_text_of('a', fields)}, "
            "coalesce(p.name, '') FROM activity a LEFT JOIN place p ON p.id = a.place_id "
            "WHERE a.deleted = 0"
        )
    )
    _remember(conn, fields)


def _remember(conn: Connection, fields: tuple[str, ...]) -> None:
    conn.execute(
        text(
            "INSERT INTO meta(key, value) VALUES (:k, :v) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ),
        {"k": _META_KEY, "v": ",".join(fields)},
    )


# -- PostgreSQL -------------------------------------------------------------------------

# The words of a text as SQLite's unicode61 tokenizer with remove_diacritics sees them:
# accents folded, everything but letters and digits a separator.
# (Run with exec_driver_sql: `[:alnum:]` would read as a bind parameter in text().)
_SERVER_DOC = "to_tsvector('simple', regexp_replace(unaccent({text}), '[^[:alnum:]]+', ' ', 'g'))"


def _create_server_table(conn: Connection) -> None:
    conn.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    conn.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
    conn.execute(text(f"CREATE TABLE {TABLE} (num integer PRIMARY KEY, doc tsvector NOT NULL)"))
    conn.execute(text(f"CREATE INDEX ix_{TABLE}_doc ON {TABLE} USING gin (doc)"))


def _server_text(row: str, fields: tuple[str, ...]) -> str:
    parts = [f"coalesce({row}.{name}, '')" for name in fields]
    return " || ' ' || ".join(parts) or "''"


def _install_on_server(conn: Connection, fields: tuple[str, ...]) -> None:
    doc = _SERVER_DOC.format(
        text=f"{_server_text('NEW', fields)} || ' ' || "
        "coalesce((SELECT name FROM place WHERE place.id = NEW.place_id), '')"
    )
    conn.execute(text(f"DROP TRIGGER IF EXISTS {TABLE}_sync ON activity"))
    conn.exec_driver_sql(
        f"CREATE OR REPLACE FUNCTION {TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"IF TG_OP <> 'INSERT' THEN DELETE FROM {TABLE} WHERE num = OLD.num; END IF; "
        "IF TG_OP <> 'DELETE' AND NOT NEW.deleted THEN "
        f"INSERT INTO {TABLE}(num, doc) VALUES (NEW.num, {doc}); END IF; "
        "RETURN NULL; END $$"
    )
    conn.execute(
        text(
            f"CREATE TRIGGER {TABLE}_sync AFTER INSERT OR UPDATE OR DELETE ON activity "
            f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_sync()"
        )
    )
    conn.execute(text(f"DELETE FROM {TABLE}"))
    whole = _SERVER_DOC.format(text=f"{_server_text('a', fields)} || ' ' || coalesce(p.name, '')")
    conn.exec_driver_sql(
        f"INSERT INTO {TABLE}(num, doc) SELECT a.num, {whole} FROM activity a "
        "LEFT JOIN place p ON p.id = a.place_id WHERE NOT a.deleted"
    )


def is_current(conn: Connection) -> bool:
    stored = conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": _META_KEY}).scalar()
    return stored == ",".join(searched_fields())
