"""Benchmark: the office hub on a real PostgreSQL server (issue 15 item 6).

    .venv/bin/python bench/bench_hub.py [--activities 100000] [--big 1000000]

Starts a throwaway cluster (`packaging/pg_cluster.py`, fsync off for both sides) unless
CA_DESKTOP_TEST_PG names a server. Measured in the same run:

1. import of an officer's bundle of N activities into the hub (decrypt, every check,
   revisions, heads, current rows, search index, ledger; one transaction under the
   writers' lock), next to a floor: the same JSON lines decoded and the same rows
   (revisions, signatures, heads, activity rows whose trigger fills the search index)
   loaded with `COPY` into an empty migrated database, one transaction. Goal <= 3x.
2. two officers' bundles of N/2 imported by two coordinators' desktops (two processes) at
   the same moment, next to the same two imports one after the other.
3. on `--big` activities in 20 programmes (current rows bulk-loaded with SQL, not through
   the write path: only the reading is measured): the headline figures from the indicator
   views (goal <= 2 s), the Activities page (count and first 300 rows, goal <= 300 ms)
   and a search keystroke (goal <= 100 ms).
Prints Markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "packaging"))

import psycopg  # noqa: E402
from bench_common import median_ms  # noqa: E402
from bench_sync import fill  # noqa: E402

import ca_desktop.sync  # noqa: E402,F401  (creates keys at init)
from ca_desktop.domain.records import spec_for  # noqa: E402
from ca_desktop.services.activity_queries import activity_page, count_activities  # noqa: E402
from ca_desktop.services.app import CaDesktop  # noqa: E402
from ca_desktop.store import backend, indicator_views  # noqa: E402
from ca_desktop.store.activity_queries import ActivityFilter  # noqa: E402
from ca_desktop.sync.service import SyncService  # noqa: E402

# Scratch data (officers' laptops, bundles), kept between runs: a laptop is filled once.
WORK = Path(os.environ.get("CA_BENCH_WORK", "/tmp/hub-bench"))
REVISION_COLUMNS = ("rev_id", "record_id", "record_type", "parents", "device_id", "device_seq",
                    "hlc", "author", "deleted", "body", "local_seq", "clock_flag", "schema_version")  # fmt: skip


class Hub:
    def __init__(self, admin_url: str) -> None:
        self.admin = admin_url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.count = 0

    def new_database(self) -> str:
        self.count += 1
        name = f"hub_bench_{os.getpid()}_{self.count}"
        with psycopg.connect(self.admin, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            con.execute(f'CREATE DATABASE "{name}"')
        from sqlalchemy.engine import make_url

        return make_url(self.admin).set(database=name).render_as_string(hide_password=False)


def _trust(a: CaDesktop, b: CaDesktop, role: str) -> None:
    pub = WORK / f"{b.device().user_name}-{os.getpid()}.pub"  # type: ignore[union-attr]
    SyncService(b).export_public_key(pub)
    SyncService(a).trust(pub, SyncService(b).own_key().fingerprint, role=role)


def officer(name: str, n: int) -> CaDesktop:
    folder = WORK / f"{name}-{n}"
    if not (folder / "complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        app = CaDesktop.open(folder)
        app.init_device(name.title(), "officer", "UG-CP")
        print(f"filling {name} with {n:,} activities (once)...", file=sys.stderr)
        fill(app, n)
        (folder / "complete").write_text("ok")
        return app
    return CaDesktop.open(folder)


def coordinator(name: str, url: str) -> CaDesktop:
    folder = WORK / f"{name}-{os.getpid()}-{time.monotonic_ns()}"
    app = CaDesktop.open(folder, database=url)
    app.init_device(name.title(), "coordinator", "UG-CP")
    return app


def bundle_for(source: CaDesktop, targets: list[CaDesktop], tag: str) -> Path:
    for t in targets:
        _trust(source, t, "coordinator")
        _trust(t, source, "officer")
    path = WORK / f"{tag}.cabundle"
    path.unlink(missing_ok=True)
    SyncService(source).export(path, full=True)
    return path


# -- 1. import vs COPY ------------------------------------------------------------------


def copy_floor(hub: Hub, laptop: CaDesktop) -> float:
    """The same rows the import writes, as JSON lines decoded and loaded with COPY."""
    lines = WORK / "floor.jsonl"
    with laptop.db.engine.connect() as conn, lines.open("w", encoding="utf-8") as out:
        for row in conn.exec_driver_sql(
            "SELECT r.rev_id, record_id, record_type, parents, device_id, device_seq, hlc, "
            "author, deleted, body, s.key_id, s.signature FROM revision r LEFT JOIN "
            "revision_signature s ON s.rev_id = r.rev_id ORDER BY local_seq"
        ):
            doc = dict(zip(REVISION_COLUMNS[:10], row[:10], strict=True))
            doc.update(parents=json.loads(doc["parents"]), body=json.loads(doc["body"]),
                       deleted=bool(doc["deleted"]), sig={"key": row[10], "value": row[11]})  # fmt: skip
            out.write(json.dumps(doc, sort_keys=True, separators=(",", ":")) + "\n")
    url = hub.new_database()
    CaDesktop.open(WORK / f"floor-{os.getpid()}", database=url).close()  # migrated, empty
    con = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'activity' "
        "AND column_name <> 'num' ORDER BY ordinal_position"
    )]  # fmt: skip
    con.rollback()
    start = time.perf_counter()
    revisions, heads, signatures, activities = [], [], [], []
    with lines.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            d = json.loads(line)
            revisions.append((
                d["rev_id"], d["record_id"], d["record_type"], json.dumps(d["parents"]),
                d["device_id"], d["device_seq"], d["hlc"], d["author"], d["deleted"],
                json.dumps(d["body"], sort_keys=True, ensure_ascii=False), i + 1, False, 3,
            ))  # fmt: skip
            heads.append((d["record_id"], d["rev_id"]))
            signatures.append((d["rev_id"], d["sig"]["key"], d["sig"]["value"]))
            if d["record_type"] == "activity":
                meta = {"id": d["record_id"], "rev_id": d["rev_id"], "heads": 1, "deleted": False,
                        "created_hlc": d["hlc"], "updated_hlc": d["hlc"], "updated_by": d["author"]}  # fmt: skip
                body = d["body"]
                row = []
                for c in cols:
                    v = meta[c] if c in meta else body.get(c)
                    row.append(",".join(v) if isinstance(v, list) else v)
                activities.append(row)
    with con.cursor() as cur:
        for table, columns, rows in (
            ("revision", REVISION_COLUMNS, revisions),
            ("record_head", ("record_id", "rev_id"), heads),
            ("revision_signature", ("rev_id", "key_id", "signature"), signatures),
            ("activity", tuple(cols), activities),
        ):
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
    con.commit()
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def import_once(hub: Hub, laptop: CaDesktop, n: int) -> tuple[float, int]:
    url = hub.new_database()
    coord = coordinator("carla", url)
    path = bundle_for(laptop, [coord], f"single-{n}")
    start = time.perf_counter()
    [result] = SyncService(coord).import_bundles([path])
    elapsed = time.perf_counter() - start
    assert result.status == "imported", result.reason
    coord.close()
    return elapsed, result.revisions_new


# -- 2. two at once vs one after the other ---------------------------------------------

WORKER = r"""
import sys, time
from pathlib import Path
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.service import SyncService
folder, url, go, bundle = sys.argv[1:]
app = CaDesktop.open(Path(folder), database=url)
sync = SyncService(app)
sync.imports()
print("ready", flush=True)
while not Path(go).exists():
    time.sleep(0.002)
[r] = sync.import_bundles([Path(bundle)])
assert r.status == "imported", r.reason
print(time.perf_counter(), flush=True)
app.close()
"""


def run_workers(jobs: list[tuple[Path, str, Path]], together: bool) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    go = WORK / f"go-{time.monotonic_ns()}"
    if together:
        procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(f), u, str(go), str(b)],
                                  stdout=subprocess.PIPE, text=True, env=env)
                 for f, u, b in jobs]  # fmt: skip
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        start = time.perf_counter()
        go.touch()
        for p in procs:
            p.wait()
            assert p.returncode == 0
        return time.perf_counter() - start
    total = 0.0
    for f, u, b in jobs:
        p = subprocess.Popen([sys.executable, "-c", WORKER, str(f), u, str(go), str(b)],
                             stdout=subprocess.PIPE, text=True, env=env)  # fmt: skip
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        start = time.perf_counter()
        go.touch()
        p.wait()
        assert p.returncode == 0
        total += time.perf_counter() - start
        go.unlink()
    return total


def two_importers(hub: Hub, half: int, together: bool) -> float:
    url = hub.new_database()
    c1, c2 = coordinator("carla", url), coordinator("dede", url)
    jobs = []
    for name, coord in (("amina", c1), ("brian", c2)):
        source = officer(name, half)
        jobs.append((coord.data_dir, url, bundle_for(source, [c1, c2], f"{name}-{half}")))
        source.close()
    c1.close()
    c2.close()
    return run_workers(jobs, together)


# -- 3. reading a million activities ---------------------------------------------------


def big_hub(hub: Hub, n: int) -> CaDesktop:
    url = hub.new_database()
    app = coordinator("mel", url)
    print(f"bulk-loading {n:,} activity rows in 20 programmes...", file=sys.stderr)
    # Columns that are never NULL (lists, flags) get the value the write path stores empty.
    empty = {"bool": "false", "enums": "''", "list": "'[]'"}
    fixed = {"themes"}
    always = [(f.name, empty[f.kind]) for f in spec_for("activity").fields
              if f.kind in empty and f.name not in fixed]  # fmt: skip
    extra_cols = "".join(f", {name}" for name, _ in always)
    extra_values = "".join(f", {value}" for _, value in always)
    with backend.write_transaction(app.db.engine) as conn:
        conn.exec_driver_sql(
            "INSERT INTO programme (id, rev_id, heads, deleted, created_hlc, updated_hlc, "
            "updated_by, code, name, kind, country) SELECT 'p-' || g, md5('p' || g), 1, false, "
            "'0000000000001.00000', '0000000000001.00000', 'bench', 'CP-' || g, "
            "'Programme ' || g, 'country_programme', 'UG' FROM generate_series(1, 20) g"
        )
        conn.exec_driver_sql(
            "INSERT INTO activity (id, rev_id, heads, deleted, created_hlc, updated_hlc, "
            "updated_by, programme_id, level, type, themes, title, description, start_date, "
            f"status, female_youth, female_other, male_youth, male_other{extra_cols}) "
            "SELECT md5('a' || g), md5('r' || g), 1, false, '0000000000001.00000', "
            "'0000000000001.00000', 'bench', 'p-' || (mod(g, 20) + 1), "
            "(ARRAY['community','local','national'])[mod(g, 3) + 1], "
            "(ARRAY['settlement_forum','municipal_forum','training','exchange_visit'])[mod(g, 4) + 1], "
            "'gender,resilience', 'Forum ' || g || (ARRAY[' water kiosk', ' drainage', "
            "' lighting', ' savings group', ' school'])[mod(g, 5) + 1], 'Residents met', "
            "to_char(date '2024-01-01' + (mod(g, 1000)), 'YYYY-MM-DD'), "
            "(ARRAY['planned','ongoing','completed'])[mod(g, 3) + 1], mod(g, 13), mod(g, 17), "
            f"mod(g, 7), mod(g, 11){extra_values} "
            f"FROM generate_series(1, {n}) g"
        )
        indicator_views.create_views(conn)
    with app.db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return app


def scan(app: CaDesktop) -> object:
    """A floor: one pass over every activity row summing one column."""
    with app.db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*), sum(female_youth) FROM activity").one()


def headline(app: CaDesktop) -> object:
    with app.db.engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT programme, sum(activities), sum(activities_held), sum(people_reached), "
            "sum(women_reached), sum(youth_reached) FROM ca_indicators_activities "
            "GROUP BY programme"
        ).all()


def read_big(hub: Hub, n: int) -> None:
    big = big_hub(hub, n)
    figures_ms = median_ms(lambda: headline(big), 5)
    scan_ms = median_ms(lambda: scan(big), 5)
    page_ms = median_ms(lambda: (count_activities(big), activity_page(big, limit=300)), 5)
    print(f"| headline figures over {n:,} activities, 20 programmes (views) | "
          f"{figures_ms:.0f} ms | one scan {scan_ms:.0f} ms | {figures_ms / scan_ms:.1f}× | ≤ 2000 ms |")  # fmt: skip
    print(
        f"| Activities page (count + first 300 rows) on {n:,} | {page_ms:.0f} ms | | | ≤ 300 ms |"
    )
    # A keystroke: the first page of the newest matches, then their count (the page
    # draws the rows first, `gui/pages/activities.py`). Words from common to rare: one
    # activity in five, a one-letter prefix, about one in a hundred, a single one.
    for words in KEYSTROKES:
        search = ActivityFilter(search=words)
        matches = count_activities(big, search)
        ms = median_ms(lambda s=search: (activity_page(big, s, limit=300), count_activities(big, s)), 9)  # type: ignore[misc]  # fmt: skip
        print(f"| search keystroke '{words}' ({matches:,} counted) on {n:,} | {ms:.0f} ms | | | ≤ 100 ms |")  # fmt: skip
    big.close()


KEYSTROKES = ("water kio", "w", "forum 12", "forum 123456", "kiosk school")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument(
        "--parts", default="import,together,read", help="which measures (comma-separated)"
    )
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    cluster = None
    admin = os.environ.get("CA_DESKTOP_TEST_PG")
    if not admin:
        import pg_cluster

        cluster = pg_cluster.Cluster()
        admin = cluster.start()
    hub = Hub(admin)
    try:
        n = args.activities
        parts = set(args.parts.split(","))
        if "import" in parts:
            laptop = officer("olive", n)
            ours, new = import_once(hub, laptop, n)
            floor = copy_floor(hub, laptop)
            laptop.close()
            print(f"| import of {n:,} activities ({new:,} revisions) into PostgreSQL | "
              f"{ours:.2f} s | COPY {floor:.2f} s | **{ours / floor:.2f}×** | ≤ 3× |")  # fmt: skip
        half = n // 2
        if "together" in parts:
            # One after the other first, then at once: the cache is as warm for the second.
            series = two_importers(hub, half, together=False)
            together = two_importers(hub, half, together=True)
            print(f"| two imports of {half:,} at once vs one after the other | {together:.2f} s | "
                  f"{series:.2f} s | **{together / series:.2f}×** | |")  # fmt: skip
        if "read" in parts:
            read_big(hub, args.big)
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
