"""`hub init` and `hub migrate` on a PostgreSQL server: one transaction each.

The schema upgrade, the indicator views, the roles and their rights are applied together
under the writers' lock (`postgres.WRITER_LOCK`): a failure anywhere leaves the database,
its views and its roles as they were, and two administrators running it at once apply it
once. Run by the database's owner; the application's role can do none of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from ca_desktop.store import backend, hub_admin, indicator_views, migrate, search_index
from ca_desktop.store.errors import NotOnServer


@dataclass(frozen=True)
class HubSchema:
    before: str | None  # schema version found (None: an empty database)
    after: str
    views: tuple[str, ...]
    created_roles: tuple[str, ...] = ()


def server_engine(url: str) -> Engine:
    """An engine for the hub at `url`; NotOnServer for anything but a postgresql:// URL."""
    from ca_desktop.store import postgres

    if not postgres.is_server_url(url):
        raise NotOnServer("the hub is a PostgreSQL database: give a postgresql:// URL")
    return backend.make_engine(url)


def migrate_hub(
    engine: Engine,
    app_role: str,
    reader_role: str,
    passwords: dict[str, str] | None = None,
) -> HubSchema:
    """Upgrade the schema, rebuild the views, and grant the two roles their rights.

    With `passwords` ({role: password}, `hub init`), the roles are created (or their
    passwords set) first. Raises DatabaseTooNew, MigrationFailed, BadRoleName."""
    from alembic import command

    for role in (app_role, reader_role):
        hub_admin.check_role_name(role)
    if app_role == reader_role:
        raise hub_admin.BadRoleName(app_role)
    created: list[str] = []
    try:
        with backend.write_transaction(engine) as conn:
            before = migrate.current_revision_in(conn)
            if before is not None and before not in migrate.known_revisions():
                raise migrate.DatabaseTooNew(
                    f"the hub was written by a newer version of CA Desktop (schema {before}); "
                    "install the newer version to migrate it. It was not changed."
                )
            if before != migrate.SCHEMA_HEAD:
                cfg = migrate.alembic_config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            if not search_index.is_current(conn):
                search_index.install(conn)
            views = indicator_views.create_views(conn)
            for role, password in (passwords or {}).items():
                if hub_admin.ensure_role(conn, role, hub_admin.scram_verifier(password)):
                    created.append(role)
            for role in (app_role, reader_role):
                if not hub_admin.role_exists(conn, role):
                    raise hub_admin.MissingRole(role)
            hub_admin.grant_rights(conn, app_role, reader_role)
    except (migrate.DatabaseTooNew, hub_admin.BadRoleName, hub_admin.MissingRole):
        raise
    except Exception as exc:
        raise migrate.MigrationFailed(
            f"setting up the hub failed ({str(exc).splitlines()[0][:300]}); it was left as it was"
        ) from exc
    return HubSchema(before, migrate.SCHEMA_HEAD, tuple(views), tuple(created))


def schema_problems(engine: Engine) -> list[hub_admin.Problem]:
    """`hub check`: the schema version, heads against revisions, current rows against heads,
    and the views. Empty when all is well."""
    with engine.connect() as conn, conn.begin():
        version = migrate.current_revision_in(conn)
        if version is None:
            return [
                hub_admin.Problem("schema", "the database has no CA Desktop schema: run 'hub init'")
            ]
        if version != migrate.SCHEMA_HEAD:
            newer = version not in migrate.known_revisions()
            hint = "install the newer CA Desktop" if newer else "run 'hub migrate'"
            return [
                hub_admin.Problem(
                    "schema",
                    f"schema version {version}, this CA Desktop expects {migrate.SCHEMA_HEAD}: {hint}",
                )
            ]
        problems = hub_admin.consistency_problems(conn)
        problems += [
            hub_admin.Problem("view", f"indicator view {v} is missing: run 'hub migrate'")
            for v in hub_admin.missing_views(conn)
        ]
    return problems
