"""The dataset of record: an SQLite database of documents and their rows.

Each document is written whole in a transaction (its old rows deleted, the new ones inserted, its
documents row replaced), so a run killed at any moment leaves every document either as it was
or as it is now. The documents extracted within a second share one transaction: a commit waits
for the disk (a few ms), which would cost a batch as much as extracting a small document. A
document whose content (sha256) and extraction fingerprint are unchanged is not extracted again;
CSV/Parquet/XLSX files are exports of these tables.
"""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .errors import InputError
from .corrections import Correction, Held
from .records import COLUMNS, Commitment, fields_of

SCHEMA_VERSION = 5
# what turns a database of an older version into the current one, step by step (a document of an
# older version is extracted again anyway: its fingerprint differs)
MIGRATIONS = {2: ["ALTER TABLE documents ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0"],
              3: ["ALTER TABLE commitments ADD COLUMN \"check\" TEXT NOT NULL DEFAULT ''"],
              4: ["ALTER TABLE commitments ADD COLUMN row_id TEXT NOT NULL DEFAULT ''",
                  "ALTER TABLE commitments ADD COLUMN source TEXT NOT NULL DEFAULT 'machine'",
                  "ALTER TABLE documents ADD COLUMN text_sha256 TEXT NOT NULL DEFAULT ''"]}
COMMIT_SECONDS = 1.0  # the documents saved within this time are committed together
TYPES = {"year": "INTEGER", "period": "INTEGER", "value": "REAL", "value_high": "REAL", "aspirational": "INTEGER", "start": "INTEGER",
         "end": "INTEGER"}
ROW_COLUMNS = ", ".join(f'"{c}" {TYPES.get(c, "TEXT")}' for c in COLUMNS)
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS documents (
    path TEXT PRIMARY KEY,   -- absolute path of the file
    doc TEXT, sha256 TEXT, fingerprint TEXT, format TEXT, encoding TEXT, chars INTEGER, rows INTEGER,
    status TEXT,             -- ok | empty | error | skipped
    message TEXT, seconds REAL,
    warnings INTEGER NOT NULL DEFAULT 0,   -- sentences left out (over their CPU time limit)
    text_sha256 TEXT NOT NULL DEFAULT ''); -- of the decoded text: row ids and corrections refer to it
CREATE TABLE IF NOT EXISTS commitments (
    path TEXT NOT NULL REFERENCES documents(path), ordinal INTEGER NOT NULL, {ROW_COLUMNS},
    PRIMARY KEY (path, ordinal));
CREATE INDEX IF NOT EXISTS commitments_metric ON commitments (metric_key, region, year);
CREATE INDEX IF NOT EXISTS commitments_row ON commitments (row_id);
CREATE TABLE IF NOT EXISTS corrections (  -- a reviewer's, applied to every output (corrections.py)
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    row_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, note TEXT NOT NULL,
    path TEXT NOT NULL, doc TEXT NOT NULL, text_sha256 TEXT NOT NULL, start INTEGER, "end" INTEGER,
    added TEXT NOT NULL, created TEXT NOT NULL);
"""
QUOTED_COLUMNS = ", ".join(f'"{c}"' for c in COLUMNS)  # "end" is an SQL keyword
DOCUMENT_FIELDS = ("sha256", "fingerprint", "format", "encoding", "chars", "rows", "status", "message", "seconds",
                   "warnings", "text_sha256")
CORRECTION_FIELDS = ("id", "row_id", "field", "value", "note", "path", "doc", "text_sha256", "start", '"end"', "added",
                     "created")


@dataclass(frozen=True)
class StoredDocument:
    """A documents row: what the ledger needs of a file that is not extracted again."""

    sha256: str
    fingerprint: str
    format: str
    encoding: str
    chars: int
    rows: int
    status: str
    message: str
    seconds: float
    warnings: int = 0  # sentences whose rows are left out: their rules ran over the CPU time limit
    text_sha256: str = ""  # of the decoded text (records.text_hash)


NUMBER_COLUMNS = [COLUMNS.index("value"), COLUMNS.index("value_high")]  # Decimals, which SQLite does not take


def sql_values(row: Commitment) -> list:
    values = list(fields_of(row))
    for i in NUMBER_COLUMNS:
        if isinstance(values[i], Decimal):
            values[i] = float(values[i])
    return values


class Store:
    """The database at `path`; readonly: opened for reading only (compare, report, export), and it
    must already be a database of this tool."""

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        self.pending: list[tuple[str, str, StoredDocument, list[Commitment]]] = []  # saved, not yet committed
        self.committed = time.monotonic()
        try:
            if readonly:
                self.conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
                tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if not {"documents", "commitments"} <= tables:
                    raise InputError(f"{self.path}: not a commitments database (no documents and commitments tables)")
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, timeout=60)  # another run may hold it
                self.migrate()
                self.conn.executescript(SCHEMA)
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in ((SCHEMA_VERSION,) if readonly else (0, SCHEMA_VERSION)):
                raise InputError(f"{self.path}: database of schema version {version}, this tool uses "
                                 f"{SCHEMA_VERSION}" + ("; run commitments extract with this --db once to update it"
                                                        if readonly and version in MIGRATIONS else
                                                        "; extract into another --db"))
            if not readonly:
                self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.OperationalError as e:
            raise InputError(f"{self.path}: cannot use the database ({e})") from None
        except sqlite3.DatabaseError as e:
            raise InputError(f"{self.path}: not a commitments database ({e})") from None

    def migrate(self) -> None:
        """Bring a database of an older schema version up to this one, in one transaction."""
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in MIGRATIONS:
            return
        self.conn.execute("BEGIN IMMEDIATE")  # DDL too: a run killed meanwhile leaves the old version
        try:
            while version in MIGRATIONS:
                for statement in MIGRATIONS[version]:
                    self.conn.execute(statement)
                version += 1
            self.conn.execute(f"PRAGMA user_version = {version}")
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise

    def close(self) -> None:
        self.commit()
        self.conn.close()

    def document(self, key: str) -> StoredDocument | None:
        row = self.conn.execute(f"SELECT {', '.join(DOCUMENT_FIELDS)} FROM documents WHERE path = ?",
                                (key,)).fetchone()
        return StoredDocument(*row) if row else None

    def save(self, key: str, doc: str, info: StoredDocument, rows: list[Commitment]) -> None:
        """Replace one document and its rows: kept until the next commit, at most a second away
        (a run killed before it extracts those documents again when resumed)."""
        self.pending.append((key, doc, info, rows))
        if time.monotonic() - self.committed >= COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        """Write the documents saved since the last commit, in one transaction."""
        if not self.pending:
            return
        marks = ", ".join("?" * (len(COLUMNS) + 2))  # columns named: a migrated table has them in another order
        with self.conn:
            for key, doc, info, rows in self.pending:
                self.conn.execute("DELETE FROM commitments WHERE path = ?", (key,))
                self.conn.execute(f"INSERT OR REPLACE INTO documents (path, doc, {', '.join(DOCUMENT_FIELDS)}) "
                                  f"VALUES ({', '.join('?' * (len(DOCUMENT_FIELDS) + 2))})",
                                  (key, doc, *(getattr(info, f) for f in DOCUMENT_FIELDS)))
                self.conn.executemany(
                    f"INSERT INTO commitments (path, ordinal, {QUOTED_COLUMNS}) VALUES ({marks})",
                    [(key, i, *sql_values(r)) for i, r in enumerate(rows)])
        self.pending.clear()
        self.committed = time.monotonic()

    def records(self, keys: list[str] | None = None) -> Iterator[tuple]:
        """The values of each row (COLUMNS) of the documents `keys` in that order, or of every
        document by path, with the reviewers' corrections applied: one document at a time, so
        that writing a batch's output holds no more than a document's rows in memory."""
        held = self.corrections()
        if keys is None:
            keys = [k for (k,) in self.conn.execute("SELECT path FROM documents ORDER BY path")]
        select = f"SELECT {QUOTED_COLUMNS} FROM commitments WHERE path = ? ORDER BY ordinal"
        for key in keys:
            rows = self.conn.execute(select, (key,)).fetchall()
            if held:
                found = self.conn.execute("SELECT text_sha256 FROM documents WHERE path = ?", (key,)).fetchone()
                rows = held.apply(rows, found[0] if found else "")
            yield from rows

    def rows(self, keys: list[str] | None = None) -> list[Commitment]:
        """Rows of the documents `keys` in that order, or of every document by path (corrected)."""
        return [_commitment(r) for r in self.records(keys)]

    def corrections(self) -> Held:
        """The corrections held (a database of this schema version has the table, also opened to read)."""
        query = f"SELECT {', '.join(CORRECTION_FIELDS)} FROM corrections ORDER BY id"
        return Held(Correction(*r) for r in self.conn.execute(query))

    def orphans(self, keys: list[str] | None = None) -> list[Correction]:
        """Corrections whose row is in no document of the database (of the documents `keys`, if
        given: the corrections made on them)."""
        held = self.corrections()
        if not held:
            return []
        row_ids = {r for (r,) in self.conn.execute("SELECT row_id FROM commitments")}
        texts = {t for (t,) in self.conn.execute("SELECT text_sha256 FROM documents WHERE status = 'ok'")}
        found = held.orphans(row_ids, texts)
        return found if keys is None else [c for c in found if c.path in set(keys)]

    def add_corrections(self, lines: list[dict]) -> None:
        """Store corrections (validated before: corrections.read_file), all or none."""
        with self.conn:
            self.conn.executemany(
                f"INSERT INTO corrections ({', '.join(CORRECTION_FIELDS[1:])}) "
                f"VALUES ({', '.join('?' * (len(CORRECTION_FIELDS) - 1))})",
                [tuple(line[f.strip('"')] for f in CORRECTION_FIELDS[1:]) for line in lines])

    def undo(self, correction_id: int) -> Correction:
        held = {c.id: c for c in self.corrections().all}
        if correction_id not in held:
            raise InputError(f"{self.path}: no correction #{correction_id} (commitments correct --list shows them)")
        with self.conn:
            self.conn.execute("DELETE FROM corrections WHERE id = ?", (correction_id,))
        return held[correction_id]

    def unplaced(self, keys: list[str]) -> list[str]:
        """The documents among `keys` with rows of no region or no year (compare leaves them out)."""
        return [doc for key in keys for (doc,) in self.conn.execute(
            "SELECT doc FROM documents WHERE path = ? AND EXISTS (SELECT 1 FROM commitments c WHERE c.path = "
            "documents.path AND (c.region = '' OR c.year IS NULL))", (key,))]

    def documents(self) -> list[tuple[str, str, str, str]]:
        """(path, doc, status, text_sha256) of every document."""
        return self.conn.execute("SELECT path, doc, status, text_sha256 FROM documents ORDER BY path").fetchall()


def _commitment(row: tuple) -> Commitment:
    fields = dict(zip(COLUMNS, row))
    return Commitment(**{**fields, "aspirational": bool(fields["aspirational"])})
