"""rt2gaps.procedures() and rt2gaps.reservations(): typed frames, bad arguments one ValueError (issue 10)."""

from __future__ import annotations

import pandas as pd
import pytest

import rt2gaps


def test_procedures_frame_types_and_values() -> None:
    import rt2gaps.procedures  # noqa: F401  (the submodule must not shadow the function)

    frame = rt2gaps.procedures("2026-02-03", procedures=["ICRMW-77", "ICERD-14"])
    assert list(frame.columns) == ["iso3", "name", "region", "subregion", "procedure", "status", "declared",
                                   "since", "procedure_in_force", "source", "source_as_of"]  # fmt: skip
    assert list(frame["status"].cat.categories) == ["accepted", "not_accepted", "not_party", "withdrawn", "unknown"]
    mexico = frame[(frame["iso3"] == "MEX") & (frame["procedure"] == "ICRMW-77")].iloc[0]
    assert mexico["status"] == "accepted" and mexico["declared"] == pd.Timestamp("2008-09-15")
    assert pd.isna(mexico["since"])  # art. 77 not in force: the declaration has not taken effect
    assert not mexico["procedure_in_force"]
    assert frame[frame["procedure"] == "ICERD-14"]["procedure_in_force"].all()


def test_reservations_frame() -> None:
    import rt2gaps.reservations  # noqa: F401

    frame = rt2gaps.reservations(["ICRMW"], country="UGA")
    assert frame["articles"].tolist() == ["18(3)(d)"]
    assert frame["dispute_clause_only"].dtype == bool and not frame["dispute_clause_only"].iloc[0]
    assert frame["date"].dtype == "datetime64[ns]"


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: rt2gaps.procedures(procedures="ICRMW-99"), "procedures"),
        (lambda: rt2gaps.procedures("2026-02-30"), "as_of"),
        (lambda: rt2gaps.reservations(country="XXX"), "country"),
        (lambda: rt2gaps.reservations(instruments="XYZ"), "instruments"),
    ],
)
def test_bad_arguments(call, argument: str) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}: "):
        call()
