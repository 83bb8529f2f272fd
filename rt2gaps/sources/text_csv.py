"""CSV sources read as text cells, with their required columns checked (M49, the GCM vote, stock totals).

Every cell stays a string (codes keep leading zeros; ``NA`` is Namibia, not a missing value): each
parser then converts the columns it knows, so a changed layout is named rather than guessed at.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd

from rt2gaps.errors import SourceLayoutError


def read_text_table(data: bytes, source: str, required: Sequence[str]) -> pd.DataFrame:
    """The CSV's cells as strings; an unreadable file or a missing required column is a SourceLayoutError."""
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise SourceLayoutError(source, "a UTF-8 CSV table", f"unreadable ({error})") from None
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise SourceLayoutError(
            source, f"columns {', '.join(required)}", f"no column(s) {', '.join(missing)} in {list(frame.columns)}"
        )
    return frame
