"""Setting up and checking a shared PostgreSQL hub: roles, rights, views, consistency.

Two roles (`docs/hub.md`, "Roles"):
- the application's: CONNECT, USAGE on the schema, SELECT/INSERT/UPDATE/DELETE on the
  tables and USAGE/SELECT/UPDATE on the sequences — no DDL (it owns nothing, so it cannot
  create, alter or drop a table; the schema is changed by `hub migrate` run by the owner),
  and no write to `alembic_version`;
- the read-only one for BI tools: SELECT on the `ca_indicators_*` views only. A view runs
  with its owner's rights, so the BI tool sees the figures and never a table: attendance
  registers and grievances hold names and phone numbers.

Passwords never travel in clear: the server gets a SCRAM-SHA-256 verifier computed here
(so not even a server statement log holds the password). Role names are checked against a
plain pattern and quoted as identifiers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from ca_desktop.store import indicator_views
from ca_desktop.store.tables import RECORD_TABLES

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
SCRAM_ITERATIONS = 4096  # PostgreSQL's own default
MAX_LISTED = 20  # problems of one kind listed one by one; the rest counted


class BadRoleName(ValueError):
    pass


class MissingRole(LookupError):
    """A role `hub migrate` should grant rights to does not exist (run `hub init`)."""


def role_exists(conn: Connection, name: str) -> bool:
    found = conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %(n)s", {"n": name})
    return found.first() is not None


def check_role_name(name: str) -> str:
    if not ROLE_NAME.fullmatch(name) or name.startswith("pg_"):
        raise BadRoleName(name[:80])
    return name


def scram_verifier(password: str, salt: bytes | None = None) -> str:
    """The SCRAM-SHA-256 secret PostgreSQL stores for `password` (RFC 5802/7677); a fresh
    random salt unless one is given (tests compare with the server's own)."""
    salt = salt if salt is not None else os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, SCRAM_ITERATIONS)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    return f"SCRAM-SHA-256${SCRAM_ITERATIONS}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _quote(name: str) -> str:
    return '"' + check_role_name(name) + '"'


def _literal(text: str) -> str:
    # A verifier is base64, digits, '$', ':' and '-': nothing to escape, but be strict.
    if not re.fullmatch(r"[A-Za-z0-9+/=$:\-]+", text):
        raise ValueError("not a password verifier")
    return "'" + text + "'"


def ensure_role(conn: Connection, name: str, verifier: str) -> bool:
    """Create the login role, or set its password; True when it was created."""
    role = _quote(name)
    exists = role_exists(conn, name)
    options = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    verb = "ALTER" if exists else "CREATE"
    conn.exec_driver_sql(f"{verb} ROLE {role} {options} PASSWORD {_literal(verifier)}")
    return not exists


def grant_rights(conn: Connection, app_role: str, reader_role: str) -> None:
    """The two roles' rights on everything there is now (run again after each migration)."""
    app, reader = _quote(app_role), _quote(reader_role)
    database = conn.exec_driver_sql("SELECT current_database()").scalar()
    db = '"' + str(database).replace('"', '""') + '"'
    schema = "public"
    for role in (app, reader):
        conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}")
        conn.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}")
        conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {db} TO {role}")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    conn.exec_driver_sql(f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC")
    conn.exec_driver_sql(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}"
    )
    conn.exec_driver_sql(
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {app}"
    )
    conn.exec_driver_sql(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {app}")
    for view in indicator_views.VIEWS:
        conn.exec_driver_sql(f"REVOKE ALL ON {view} FROM {app}")
        conn.exec_driver_sql(f"GRANT SELECT ON {view} TO {app}, {reader}")


@dataclass(frozen=True)
class Problem:
    kind: str  # "schema", "head", "row", "view"
    text: str


def _listed(kind: str, rows: list[str], what: str) -> list[Problem]:
    out = [Problem(kind, f"{what}: {r}") for r in rows[:MAX_LISTED]]
    if len(rows) > MAX_LISTED:
        out.append(Problem(kind, f"{what}: {len(rows) - MAX_LISTED} more"))
    return out


def consistency_problems(conn: Connection) -> list[Problem]:
    """Heads against revisions, and current-state rows against heads (plain SQL, both
    dialects). Empty when all is well."""
    q = conn.exec_driver_sql
    problems: list[Problem] = []
    missing = [
        f"record {r[0]} names revision {r[1][:12]}"
        for r in q(
            "SELECT h.record_id, h.rev_id FROM record_head h LEFT JOIN revision r "
            "ON r.rev_id = h.rev_id WHERE r.rev_id IS NULL ORDER BY 1"
        )
    ]
    problems += _listed("head", missing, "a head points at no revision")
    strays = [
        f"record {r[0]} holds revision {r[1][:12]} of record {r[2]}"
        for r in q(
            "SELECT h.record_id, h.rev_id, r.record_id FROM record_head h JOIN revision r "
            "ON r.rev_id = h.rev_id WHERE r.record_id <> h.record_id ORDER BY 1"
        )
    ]
    problems += _listed("head", strays, "a head belongs to another record")
    headless = [
        str(r[0])
        for r in q(
            "SELECT DISTINCT r.record_id FROM revision r WHERE NOT EXISTS "
            "(SELECT 1 FROM record_head h WHERE h.record_id = r.record_id) ORDER BY 1"
        )
    ]
    problems += _listed("head", headless, "a record has revisions but no head")
    for record_type, table in RECORD_TABLES.items():
        name = table.__tablename__  # type: ignore[attr-defined]
        not_head = [
            str(r[0])
            for r in q(
                f"SELECT t.id FROM {name} t WHERE NOT EXISTS (SELECT 1 FROM record_head h "
                "WHERE h.record_id = t.id AND h.rev_id = t.rev_id) ORDER BY 1"
            )
        ]
        problems += _listed(
            "row", not_head, f"{record_type} row shows a revision that is not a head"
        )
        counts = [
            str(r[0])
            for r in q(
                f"SELECT t.id FROM {name} t WHERE t.heads <> (SELECT COUNT(*) FROM "
                "record_head h WHERE h.record_id = t.id) ORDER BY 1"
            )
        ]
        problems += _listed("row", counts, f"{record_type} row counts its heads wrong")
        rowless = [
            str(r[0])
            for r in q(
                "SELECT DISTINCT h.record_id FROM record_head h JOIN revision r ON "
                f"r.rev_id = h.rev_id WHERE r.record_type = '{record_type}' AND NOT EXISTS "
                f"(SELECT 1 FROM {name} t WHERE t.id = h.record_id) ORDER BY 1"
            )
        ]
        problems += _listed("row", rowless, f"{record_type} has heads but no current row")
    return problems


def missing_views(conn: Connection) -> list[str]:
    """Indicator views that are not there (PostgreSQL catalogue)."""
    present = {
        r[0]
        for r in conn.exec_driver_sql(
            "SELECT table_name FROM information_schema.views WHERE table_schema = 'public'"
        )
    }
    return [v for v in indicator_views.VIEWS if v not in present]
