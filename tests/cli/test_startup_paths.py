"""The command line starts only what it needs: `--version` and the GUI load no storage
stack, a command loads only its own module, and every command is routed."""

from __future__ import annotations

import subprocess
import sys

from ca_desktop.cli import COMMANDS, build_parser
from ca_desktop.services.app import CaDesktop


def _loaded_after(code: str) -> set[str]:
    script = (
        "import sys\n" + code + "\n"
        "print('\\n' + ' '.join(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic', 'cryptography',"
        " 'PySide6', 'ca_desktop.cli.db_cmd', 'ca_desktop.cli.forms_cmd') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(done.stdout.splitlines()[-1].split()) if done.stdout.strip() else set()


def test_every_command_is_routed_to_the_module_that_registers_it() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")  # noqa: SLF001
    assert set(sub.choices) == set(COMMANDS)
    for command, module in COMMANDS.items():
        only = next(a for a in build_parser((module,))._actions if a.dest == "command")  # noqa: SLF001
        assert command in only.choices


def test_version_loads_nothing_else() -> None:
    loaded = _loaded_after("from ca_desktop.cli import main\nmain(['--version'])")
    assert loaded == set()


def test_the_gui_starts_before_the_storage_stack_is_imported(tmp_path) -> None:
    code = (
        "import ca_desktop.gui.app as gui\n"
        "gui.run_gui = lambda *a, **k: print('storage' if 'sqlalchemy' in sys.modules else '') or 0\n"
        "from ca_desktop.cli import main\n"
        f"main(['--data-dir', {str(tmp_path)!r}, '--lang', 'fr'])"
    )
    loaded = _loaded_after(code)
    assert "sqlalchemy" not in loaded and "ca_desktop.cli.db_cmd" not in loaded


def test_history_reads_a_record_without_the_storage_stack(
    app: CaDesktop, activity_body: dict[str, object]
) -> None:
    """`history ID` of a folder that needs nothing done on open: the lean read path."""
    record_id = app.save("activity", activity_body).id
    app.close()
    code = (
        "from ca_desktop.cli import main\n"
        f"assert main(['--data-dir', {str(app.data_dir)!r}, 'history', {record_id!r}]) == 0"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code + "\n" + _REPORT],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"activity {record_id}  Kisenyi settlement forum" in done.stdout
    assert done.stdout.splitlines()[-1].strip() == ""  # none of sqlalchemy, sqlmodel, pydantic


def test_history_of_an_unknown_id_says_so_without_the_storage_stack(app: CaDesktop) -> None:
    app.close()
    unknown = "01900000-0000-7000-8000-000000000000"
    code = (
        "from ca_desktop.cli import main\n"
        f"assert main(['--data-dir', {str(app.data_dir)!r}, 'history', {unknown!r}]) == 2"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code + "\n" + _REPORT],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr.strip() == f"ca-desktop: no record with id {unknown}"
    assert done.stdout.splitlines()[-1].strip() == ""


_REPORT = (
    "print('\\n' + ' '.join(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic') if m in sys.modules))"
)


def test_a_command_loads_only_its_own_module(tmp_path) -> None:
    loaded = _loaded_after("from ca_desktop.cli import main\nmain(['forms', 'list'])")
    assert "ca_desktop.cli.forms_cmd" in loaded and "ca_desktop.cli.db_cmd" not in loaded


def test_the_window_is_shown_before_the_storage_stack_is_imported(tmp_path) -> None:
    """Through the real `run_gui`, up to the moment the main window is shown."""
    code = (
        "import os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from ca_desktop.gui import main_window\n"
        "def shown(self):\n"
        "    print('\\n' + ' '.join(m for m in ('sqlalchemy', 'sqlmodel', 'cryptography',"
        " 'ca_desktop.sync', 'ca_desktop.services.app') if m in sys.modules), flush=True)\n"
        "    os._exit(0)\n"
        "main_window.MainWindow.show = shown\n"
        "from ca_desktop.cli import main\n"
        f"main(['--data-dir', {str(tmp_path)!r}])"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].strip() == ""


def test_the_first_activities_rows_are_drawn_before_the_storage_stack_is_imported(
    app: CaDesktop, activity_body: dict[str, object]
) -> None:
    """Through the real entry, with Activities as the last-used page: its first rows come
    from the lean reads (`gui/start_preview.py`)."""
    for n in range(3):
        app.save("activity", {**activity_body, "title": f"Forum {n}"})
    app.close()
    (app.data_dir / "gui.ini").write_text("[window]\npage=activities\n")
    code = (
        "import os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from ca_desktop.gui.pages import activities\n"
        "real = activities.ActivitiesPage._apply\n"
        "def first_rows(self, *args, **kwargs):\n"
        "    real(self, *args, **kwargs)\n"
        "    print(self.model.rowCount(), self.attached, flush=True)\n"
        "    print(' '.join(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic')"
        " if m in sys.modules), flush=True)\n"
        "    os._exit(0)\n"
        "activities.ActivitiesPage._apply = first_rows\n"
        "from ca_desktop.cli import main\n"
        f"main(['--data-dir', {str(app.data_dir)!r}])"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    rows, loaded = done.stdout.splitlines()[-2:]
    assert rows == "3 False"  # three rows, drawn before the app was attached
    assert loaded.strip() == ""
