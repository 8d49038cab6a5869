"""crmlite-bench's Python side: crmlite's Python API next to the standard library's sqlite3.

    python bench_py.py add-one python   ROWS.tsv DB   crm.add_customer per row in one crm.transaction()
    python bench_py.py add-one-commit python ROWS.tsv DB   crm.add_customer per row, each committed
    python bench_py.py add-one sqlite3  ROWS.tsv DB   sqlite3 loop, one transaction, crmlite's rows
    python bench_py.py batch   python   ROWS.tsv DB   one crm.add_customers call with every row

ROWS.tsv: id, name, e-mail, external code, birthday (YYYY-MM-DD), city, created_at (Unix seconds).
For sqlite3, DB already holds crmlite's empty schema (same tables, indexes, search triggers).
Inputs are built before the timer. Prints one JSON line like the C side.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import sys
import time
from datetime import date


def read_rows(path: str) -> list[list[str]]:
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh]


def kwargs_of(r: list[str]) -> dict:
    import crmlite

    return {
        "emails": [r[2]],
        "external_code": r[3],
        "birthday": date.fromisoformat(r[4]),
        "address": crmlite.Address(city=r[5]),
    }


def stored(db: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
    finally:
        con.close()


def add_one_python(rows: list[list[str]], db: str) -> tuple[float, float]:
    """``crm.add_customer`` per row, every call inside one ``with crm.transaction():``
    (synchronous="normal"), as the sqlite3 loop runs in one transaction."""
    import crmlite

    inputs = [(r[1], kwargs_of(r)) for r in rows]
    with crmlite.open(db, synchronous="normal") as crm:
        add = crm.add_customer
        t, c = time.perf_counter(), time.thread_time()
        with crm.transaction():
            for name, kw in inputs:
                add(name, **kw)
        return time.perf_counter() - t, time.thread_time() - c


def add_one_commit_python(rows: list[list[str]], db: str) -> tuple[float, float]:
    """``crm.add_customer`` per row, each call its own transaction (synchronous="normal")."""
    import crmlite

    inputs = [(r[1], kwargs_of(r)) for r in rows]
    with crmlite.open(db, synchronous="normal") as crm:
        add = crm.add_customer
        t, c = time.perf_counter(), time.thread_time()
        for name, kw in inputs:
            add(name, **kw)
        return time.perf_counter() - t, time.thread_time() - c


INSERT = (
    "INSERT INTO customers (id, kind, name, name_key, search_key, emails, phones, address, birthday, "
    "language, tags, attributes, external_code, version, created_at, updated_at) "
    "VALUES (?, 'person', ?, ?, ?, ?, '[]', ?, ?, NULL, '[]', '{}', ?, 1, ?, ?)"
)
INSERT_EMAIL = "INSERT INTO customer_emails (address_key, customer_id) VALUES (?, ?)"
INSERT_CHANGE = "INSERT INTO changes (entity, entity_id, op, at) VALUES ('customer', ?, 'insert', ?)"


def add_one_sqlite3(rows: list[list[str]], db: str) -> tuple[float, float]:
    """What a Python user writes by hand for crmlite's rows: the customer (search keys and JSON
    built per row), its e-mail lookup row and its change-feed row, in one transaction."""
    inputs = [(int(r[0]), r[1], r[2], r[3], r[4], r[5], int(r[6]) * 1000) for r in rows]
    con = sqlite3.connect(db, isolation_level=None)
    for pragma in (
        "foreign_keys = ON",
        "secure_delete = ON",
        "synchronous = NORMAL",
        "journal_mode = WAL",
        "cache_size = -16384",
        "temp_store = MEMORY",
    ):
        con.execute(f"PRAGMA {pragma}")
    cur = con.cursor()
    t, c = time.perf_counter(), time.thread_time()
    cur.execute("BEGIN IMMEDIATE")
    for id_, name, email, code, birthday, city, at in inputs:
        name_key = name.lower()
        cur.execute(
            INSERT,
            (
                id_,
                name,
                name_key,
                f"{name_key} {email} {code.lower()}",
                f'[{{"address":"{email}","primary":true}}]',
                f'{{"line1":"","line2":"","city":"{city}","region":"","postal_code":"","country":""}}',
                birthday,
                code,
                at,
                at,
            ),
        )
        cur.execute(INSERT_EMAIL, (email, id_))
        cur.execute(INSERT_CHANGE, (id_, at))
    cur.execute("COMMIT")
    out = time.perf_counter() - t, time.thread_time() - c
    con.close()
    return out


def batch_python(rows: list[list[str]], db: str) -> tuple[float, float]:
    import crmlite

    items = [dict(name=r[1], **kwargs_of(r)) for r in rows]
    with crmlite.open(db, synchronous="full") as crm:
        t, c = time.perf_counter(), time.thread_time()
        ids = crm.add_customers(items)
        out = time.perf_counter() - t, time.thread_time() - c
    if len(ids) != len(items):
        raise SystemExit(f"add_customers returned {len(ids)} ids for {len(items)} items")
    return out


def main() -> int:
    op, side, rows_path, db = sys.argv[1:5]
    rows = read_rows(rows_path)
    run = {
        ("add-one", "python"): add_one_python,
        ("add-one-commit", "python"): add_one_commit_python,
        ("add-one", "sqlite3"): add_one_sqlite3,
        ("batch", "python"): batch_python,
    }[(op, side)]
    wall, cpu = run(rows, db)
    n = max(len(rows), 1)
    print(
        json.dumps(
            {
                "metrics": [["us_per_row", wall / n * 1e6], ["cpu_us_per_row", cpu / n * 1e6]],
                "count": len(rows),
                "check": stored(db),
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
