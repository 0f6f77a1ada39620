"""jieba's dictionary tables — word frequencies (with the prefixes its DAG looks up) and POS tags —
loaded from this tool's own cache file.

jieba rebuilds them in every process: unmarshalling its frequency cache takes ~0.6 s and
jieba.posseg re-reads dict.txt for the tags at import (~0.25 s), most of a small run's start-up.
The same tables are kept here as newline-joined words and an array of counts, which Python
turns back into dicts ~3x faster. The cache is built from jieba's own tables on first use, is
keyed on jieba's version and dictionary file, and holds no code (a damaged or foreign file is
rebuilt, never executed).
"""
from __future__ import annotations

import io
import logging
import os
import struct
import sys
import tempfile
from array import array
from importlib import import_module
from pathlib import Path

import jieba

MAGIC = b"commitments-jieba-tables-1\n"
PARTS = 6  # key, words, counts, total, tagged words, their tags
log = logging.getLogger(__name__)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "commitments"


def dictionary_key() -> str:
    """jieba's version and its dictionary file as it is now: a changed dictionary is a new key."""
    path = Path(jieba.dt.dictionary or Path(jieba.__file__).parent / "dict.txt").resolve()
    stat = path.stat()
    return f"{jieba.__version__}|{path}|{stat.st_size}|{stat.st_mtime_ns}"


def encode(key: str, freq: dict[str, int], total: int, word_tags: dict[str, str]) -> bytes:
    parts = [key.encode(), "\n".join(freq).encode(), array("q", freq.values()).tobytes(), str(total).encode(),
             "\n".join(word_tags).encode(), "\n".join(word_tags.values()).encode()]
    return MAGIC + struct.pack(f"<{PARTS}Q", *map(len, parts)) + b"".join(parts)


def decode(data: bytes, key: str) -> tuple[dict[str, int], int, dict[str, str]] | None:
    """The tables in data, or None if it is not a whole cache file of this key."""
    head = len(MAGIC) + 8 * PARTS
    if not data.startswith(MAGIC) or len(data) < head:
        return None
    sizes = struct.unpack(f"<{PARTS}Q", data[len(MAGIC):head])
    if head + sum(sizes) != len(data):
        return None
    parts, at = [], head
    for size in sizes:
        parts.append(data[at:at + size])
        at += size
    if parts[0] != key.encode():
        return None
    words, tagged, tags = (part.decode().split("\n") for part in (parts[1], parts[4], parts[5]))
    counts = array("q")
    counts.frombytes(parts[2])
    if len(words) != len(counts) or len(tagged) != len(tags):
        return None
    return dict(zip(words, counts)), int(parts[3]), dict(zip(tagged, tags))


def save(path: Path, data: bytes) -> None:
    """Write atomically (parallel workers may build it at once); a cache that cannot be written only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as f:
            f.write(data)
        os.replace(f.name, path)
    except OSError as err:
        log.debug("jieba tables not cached at %s: %s", path, err)


def load_jieba_tables() -> None:
    """Make jieba's default tokenizer and jieba.posseg ready, from the cache when neither is loaded
    yet (else, or if anything differs, the way jieba loads them itself)."""
    if jieba.dt.initialized or "jieba.posseg" in sys.modules:
        import_module("jieba.posseg")  # loaded by jieba itself: a user dictionary may be in them
        return
    key = dictionary_key()
    path = cache_dir() / "jieba.tables"
    try:
        tables = decode(path.read_bytes(), key)
    except (OSError, ValueError):
        tables = None
    if tables is None:
        jieba.dt.initialize()
        save(path, encode(key, jieba.dt.FREQ, jieba.dt.total, import_module("jieba.posseg").dt.word_tag_tab))
        return
    freq, total, word_tags = tables
    jieba.dt.FREQ, jieba.dt.total, jieba.dt.initialized = freq, total, True
    jieba.dt.get_dict_file = io.BytesIO  # jieba.posseg reads the tags at import: from an empty file here
    try:
        posseg = import_module("jieba.posseg")
    finally:
        del jieba.dt.get_dict_file
    posseg.dt.word_tag_tab = word_tags
