"""The office hub's operations (`ca-desktop hub ...`, docs/hub.md): set up, upgrade and
check a shared PostgreSQL database, and bring a laptop's history into it.

Every expected failure is a `HubError` with one line to show (never the password in a
URL); nothing is left half done.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.jobs import Progress
from ca_desktop.services import protection
from ca_desktop.services.database_choice import DatabaseChoiceError, check_url
from ca_desktop.store import hub_admin, hub_schema, laptop_import
from ca_desktop.store.errors import (
    DatabaseTooNew,
    MigrationFailed,
    NotOnServer,
    StorageDatabaseError,
)
from ca_desktop.store.hub_schema import HubSchema
from ca_desktop.store.laptop_import import LaptopImport

APP_ROLE = "ca_app"
READER_ROLE = "ca_reader"


class HubError(Exception):
    """An expected failure of a hub operation; the message is one line."""


@dataclass(frozen=True)
class Roles:
    app: str = APP_ROLE
    reader: str = READER_ROLE


def _engine(url: str):  # type: ignore[no-untyped-def]  # an Engine: not named above store
    try:
        checked = check_url(url, stored=False)
        return hub_schema.server_engine(checked or url)
    except (DatabaseChoiceError, NotOnServer) as exc:
        raise HubError(str(exc)) from None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def _run(url: str, roles: Roles, passwords: dict[str, str] | None) -> HubSchema:
    engine = _engine(url)
    try:
        return hub_schema.migrate_hub(engine, roles.app, roles.reader, passwords)
    except hub_admin.BadRoleName as exc:
        raise HubError(
            tr(
                "role name {name!r} is not allowed: lowercase letters, digits and _, two different names, not starting with pg_"
            ).format(name=str(exc))
        ) from None
    except hub_admin.MissingRole as exc:
        raise HubError(
            tr("role {role} does not exist: run 'hub init' first").format(role=str(exc))
        ) from None
    except (DatabaseTooNew, MigrationFailed) as exc:
        raise HubError(_one_line(exc)) from None
    except StorageDatabaseError as exc:
        raise HubError(
            tr("the hub cannot be reached: {why}").format(why=_one_line(exc.orig or exc))
        ) from None
    finally:
        engine.dispose()


def init_hub(
    url: str, app_password: str, reader_password: str, roles: Roles = Roles()
) -> HubSchema:
    """Create (or bring up to date) the schema, the indicator views and the two roles."""
    for password in (app_password, reader_password):
        if len(password) < 12:
            raise HubError(tr("a role password must have at least 12 characters"))
    if app_password == reader_password:
        raise HubError(tr("the two roles need different passwords"))
    return _run(url, roles, {roles.app: app_password, roles.reader: reader_password})


def migrate_hub(url: str, roles: Roles = Roles()) -> HubSchema:
    """Upgrade the schema, rebuild the views and grant the roles again (after an update)."""
    return _run(url, roles, None)


def check_hub(url: str) -> list[str]:
    """One line per problem found (empty: the hub is consistent)."""
    engine = _engine(url)
    try:
        return [p.text for p in hub_schema.schema_problems(engine)]
    except StorageDatabaseError as exc:
        raise HubError(
            tr("the hub cannot be reached: {why}").format(why=_one_line(exc.orig or exc))
        ) from None
    finally:
        engine.dispose()


def import_laptop(
    url: str, path: Path, passphrase: str | None, progress: Progress | None = None
) -> LaptopImport:
    """Bring a laptop's database (`path`, in its data folder) into the hub with all its
    history: revisions keep their ids; importing twice changes nothing; all or nothing.

    An encrypted folder needs its passphrase (the key is unwrapped from the folder's key
    file beside the database, as on the laptop)."""
    folder = path.resolve().parent
    key: bytes | None = None
    if protection.state(folder).encrypted:
        if passphrase is None:
            raise HubError(
                tr("{path} is encrypted: give its passphrase with --laptop-passphrase-file").format(
                    path=path.name
                )
            )
        try:
            key = protection.unlock(folder, passphrase)
        except protection.WrongPassphrase:
            raise HubError(
                tr("the laptop's passphrase is not right; nothing was imported")
            ) from None
        except protection.ProtectionError as exc:
            raise HubError(str(exc)) from None
    engine = _engine(url)
    try:
        return laptop_import.import_laptop(engine, path, key, progress)
    except laptop_import.LaptopFileError as exc:
        raise HubError(str(exc)) from None
    except StorageDatabaseError as exc:
        raise HubError(
            tr("the hub cannot be reached: {why}").format(why=_one_line(exc.orig or exc))
        ) from None
    finally:
        engine.dispose()
