"""Zip files (xlsx, docx) whose entries all carry one date, so the same content gives the same bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import IO


class FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one timestamp, so that identical content gives identical bytes."""

    def __init__(self, path: Path | IO[bytes], stamp: date) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.stamp = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        """openpyxl writes worksheets from temporary files; store them with the fixed time too."""
        data = Path(filename).read_bytes()
        return self.writestr(str(arcname or Path(filename).name), data, compress_type, compresslevel)


def fixed_time_zip(data: bytes, stamp: date) -> bytes:
    """The zip ``data`` rewritten entry by entry, in the same order, every entry dated ``stamp``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, FixedTimeZip(out, stamp) as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
    return out.getvalue()
