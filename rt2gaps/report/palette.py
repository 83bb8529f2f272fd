"""Status colours, defined once for the workbook and for charts (Okabe-Ito, safe for colour-blind readers).

``unknown`` is grey with a pattern and a "?" so that missing data can never be read as "none".
"""

from __future__ import annotations

from typing import Final

from rt2gaps.status import NONE, NOT_ELIGIBLE, PARTY, PENDING, SIGNATORY, UNKNOWN, WITHDRAWN

# Okabe & Ito (2008), "Color Universal Design": hex colours with a leading '#', as matplotlib takes them.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

STATUS_COLOURS: dict[str, str] = {
    PARTY: OKABE_ITO["bluish_green"],
    PENDING: OKABE_ITO["sky_blue"],
    SIGNATORY: OKABE_ITO["yellow"],
    NONE: OKABE_ITO["vermillion"],
    WITHDRAWN: OKABE_ITO["reddish_purple"],
    NOT_ELIGIBLE: "#FFFFFF",
    UNKNOWN: "#BBBBBB",
}

# Statuses whose fill is dark enough to need white text.
WHITE_TEXT_STATUSES = frozenset({PARTY, NONE})

# unknown is hatched in every output: openpyxl pattern name and matplotlib hatch.
UNKNOWN_EXCEL_PATTERN: Final = "lightUp"  # Final: its literal is checked against openpyxl's pattern names
UNKNOWN_HATCH = "///"


def excel_rgb(hex_colour: str) -> str:
    """'#009E73' -> 'FF009E73', the ARGB form openpyxl wants."""
    return "FF" + hex_colour.lstrip("#").upper()
