"""Write a snapshot folder atomically: all files land together or none do."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

PREVIOUS_SUFFIX = ".previous"


def csv_text(rows: list[dict[str, str]], columns: list[str]) -> str:
    """CSV text with a fixed column order and Unix line ends, so rebuilds are byte-identical."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def json_text(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_folder_atomically(target: Path, files: dict[str, str], keep_previous: bool = False) -> None:
    """Write ``files`` (name -> text) into a fresh folder beside ``target``, then swap it in by rename.

    The old folder stays intact until the new one is complete; with ``keep_previous`` it is kept
    as ``<target>.previous``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    staging.chmod(0o755)
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="")
        if target.exists():
            previous = target.with_name(target.name + PREVIOUS_SUFFIX)
            if previous.exists():
                shutil.rmtree(previous)
            os.rename(target, previous)
            os.rename(staging, target)
            if not keep_previous:
                shutil.rmtree(previous)
        else:
            os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
