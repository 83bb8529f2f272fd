"""The reports' labels: ``rt2gaps.i18n`` (one table, ``data/ui_strings.csv``), named here as the reports always did.

The table lives below every layer (``rt2gaps.phrase`` and the analyses say their sentences through it).
"""

from rt2gaps.i18n import ISO_DAY, LANGUAGES, UI_STRINGS_FILE, UiStrings, lang_suffix  # noqa: F401
