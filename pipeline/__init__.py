"""commitments: quantified commitments from Chinese policy documents, as a table.

    from pipeline import extract
    df = extract("corpus/")          # a pandas DataFrame, one row per commitment
"""
from __future__ import annotations

__all__ = ["extract"]


def extract(paths, manifest=None, include_achieved: bool = False, model: str | None = None,
            rules_dir: str | None = None):
    """Rows of every document in `paths` (a file, a folder, or a list of them) as a DataFrame.

    manifest: a TSV path with columns file, year, region; model: a spaCy pipeline name or path.
    """
    from pathlib import Path

    from .extraction import Options, extract_document, load_rules
    from .read import collect_files, load_manifest, read_document
    from .table import to_frame

    if isinstance(paths, (str, Path)):
        paths = [paths]
    options = Options(include_achieved, model, rules_dir)
    load_rules(options)
    table = load_manifest(manifest) if manifest else None
    return to_frame([row for path in collect_files(paths) for row in extract_document(read_document(path, table),
                                                                                       options)])
