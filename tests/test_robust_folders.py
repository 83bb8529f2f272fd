"""Issue 14: nothing rt2gaps did not write is deleted, a killed swap is finished, a failed run leaves no file.

Each test reproduces a fault of the adversarial pass first (the command from the issue), then checks the fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from rt2gaps.cli import main
from rt2gaps.output import staged_output
from rt2gaps.snapshot.userdata import current_snapshot_dir, previous_snapshot_dir, user_snapshot_dir
from rt2gaps.snapshot.write import FolderRefusedError, write_folder_atomically

REPO = Path(__file__).resolve().parents[1]
ON = "2026-02-03"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_snapshot_build_refuses_a_folder_of_the_users_own_files(tmp_path: Path, capsys) -> None:
    # issue: `snapshot build --out DIR` emptied DIR and exited 0
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    assert main(["snapshot", "build", "--out", str(mine), "--reference-out", str(tmp_path / "ref")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a snapshot folder written by rt2gaps" in err
    assert tree(mine) == {"thesis.docx": b"years of work"} and not (tmp_path / "ref").exists()


def test_snapshot_build_refuses_a_users_folder_as_reference_out(tmp_path: Path, capsys) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    assert main(["snapshot", "build", "--out", str(tmp_path / "snap"), "--reference-out", str(mine)]) == 2
    assert "not a reference folder written by rt2gaps" in capsys.readouterr().err
    assert tree(mine) == {"notes.txt": b"mine"} and not (tmp_path / "snap").exists()


def test_a_folder_rt2gaps_wrote_is_still_replaced(tmp_path: Path) -> None:
    target = tmp_path / "snapshot"
    write_folder_atomically(target, {"events.csv": "old\n"})
    write_folder_atomically(target, {"events.csv": "new\n"})
    assert tree(target) == {"events.csv": b"new\n"}


KILL_BETWEEN_RENAMES = """
import os, sys
from pathlib import Path
from rt2gaps.snapshot import write
calls = []
real = os.rename
def rename(src, dst):
    calls.append(src)
    if len(calls) == int(sys.argv[2]):
        os._exit(9)  # killed, no clean-up of any kind
    real(src, dst)
write.os.rename = rename
write.write_folder_atomically(Path(sys.argv[1]), {"events.csv": "new\\n"}, keep_previous=True)
"""


@pytest.mark.parametrize("killed_at", [1, 2, 3])
def test_a_swap_killed_between_renames_is_finished_by_the_next_command(tmp_path: Path, killed_at: int) -> None:
    # issue: a kill between the two renames lost the older history level and left the staging folder
    data = tmp_path / "data"
    target = user_snapshot_dir(data)
    write_folder_atomically(target, {"events.csv": "oldest\n"}, keep_previous=True)
    write_folder_atomically(target, {"events.csv": "old\n"}, keep_previous=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", KILL_BETWEEN_RENAMES, str(target), str(killed_at)], env=env)
    assert done.returncode == 9
    current_snapshot_dir(data)  # any command reading the data folder
    assert tree(target) == {"events.csv": b"new\n"}
    assert tree(previous_snapshot_dir(data)) == {"events.csv": b"old\n"}
    assert sorted(p.name for p in data.iterdir()) == [".update.lock", "snapshot", "snapshot.previous"]


def test_leftovers_of_a_killed_writer_are_removed_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "snapshot"
    write_folder_atomically(target, {"events.csv": "old\n"})
    (tmp_path / ".snapshot.k2j3h4g5").mkdir()  # a staging folder a kill left
    (tmp_path / ".snapshot.k2j3h4g5" / "events.csv").write_text("half")
    (tmp_path / ".snapshot.ab_cd123.tmp").write_text("half")
    kept = [".snapshot.notes", "snapshot.tmp", ".snapshot.abc.tmp", ".other.k2j3h4g5"]
    for name in kept:
        (tmp_path / name).write_text("the user's")
    write_folder_atomically(target, {"events.csv": "new\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "snapshot"])


def test_a_symlink_at_the_users_previous_snapshot_is_refused_and_kept(tmp_path: Path, capsys, monkeypatch) -> None:
    # issue: `Cannot call rmtree on a symbolic link`, and the user's link was renamed
    data = tmp_path / "data"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    write_folder_atomically(user_snapshot_dir(data), {"events.csv": "x\n"})
    previous_snapshot_dir(data).symlink_to(elsewhere)
    with pytest.raises(FolderRefusedError, match="is a symbolic link"):
        write_folder_atomically(user_snapshot_dir(data), {"events.csv": "y\n"}, keep_previous=True)
    assert previous_snapshot_dir(data).is_symlink() and tree(elsewhere) == {"keep.txt": b"mine"}
    assert tree(user_snapshot_dir(data)) == {"events.csv": b"x\n"}

    import importlib

    merge = importlib.import_module("rt2gaps.refresh.merge")

    def refused(*args: object, **kwargs: object) -> None:
        write_folder_atomically(user_snapshot_dir(data), {"events.csv": "y\n"}, keep_previous=True)

    monkeypatch.setattr(merge, "build_and_swap", refused)
    page = REPO / "tests" / "fixtures" / "normlex" / "convention_en.html"
    assert main(["import", str(page), "--data", str(data)]) == 2  # one line, not a failed-outcome table
    err = capsys.readouterr().err
    assert "is a symbolic link" in err and err.count("\n") == 1


@pytest.mark.parametrize("where", ["csv", "previous"])
def test_a_symlink_at_the_csv_folder_or_its_previous_is_refused(tmp_path: Path, capsys, where: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stem = f"rt2gaps_rt2-priority_{ON}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.csv").write_text("mine")
    (out / (stem if where == "csv" else stem + ".previous")).symlink_to(elsewhere)
    before = sorted(p.name for p in out.iterdir())
    assert main(["run", "--as-of", ON, "--no-charts", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a symbolic link" in err
    assert sorted(p.name for p in out.iterdir()) == before and tree(elsewhere) == {"keep.csv": b"mine"}


@pytest.mark.parametrize("make", ["file", "under-file", "dev-null", "read-only"])
def test_a_bad_out_folder_is_one_line_and_nothing_written(tmp_path: Path, capsys, monkeypatch, make: str) -> None:
    afile = tmp_path / "afile"
    afile.write_text("mine")
    outs = {"file": afile, "under-file": afile / "sub", "dev-null": Path("/dev/null"), "read-only": tmp_path / "ro"}
    out = outs[make]
    if make == "read-only":  # root may write anywhere: the system's answer is simulated
        out.mkdir()
        import importlib

        output = importlib.import_module("rt2gaps.output")
        monkeypatch.setattr(output.os, "access", lambda *a, **k: False)
    assert main(["run", "--as-of", ON, "--no-charts", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rt2gaps: error: --out") and err.count("\n") == 1
    assert afile.read_text() == "mine" and sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["afile"] + (["ro"] if make == "read-only" else [])
    )


def test_a_failed_run_leaves_no_file_of_its_own_under_a_final_name(tmp_path: Path, capsys, monkeypatch) -> None:
    # issue: with charts, six chart files of the failed run stayed under their final names
    import importlib

    from rt2gaps.errors import Rt2gapsError

    excel = importlib.import_module("rt2gaps.report.excel")  # rt2gaps.report is also an API function's name

    def broken(*args: object, **kwargs: object) -> None:
        import time

        time.sleep(1.5)  # the workers draw meanwhile
        raise Rt2gapsError("the workbook could not be written")

    monkeypatch.setattr(excel, "write_workbook", broken)
    out = tmp_path / "out"
    assert main(["run", "--as-of", ON, "--out", str(out)]) == 2
    assert "could not be written" in capsys.readouterr().err
    assert [p for p in out.rglob("*")] == []


def test_concurrent_writers_of_one_out_folder_take_turns(tmp_path: Path) -> None:
    # issue: concurrent runs into one --out crashed in the CSV-folder swap (FileNotFoundError ...previous)
    out = tmp_path / "out"
    errors: list[BaseException] = []

    def one_run(n: int) -> None:
        try:
            for _ in range(5):
                with staged_output(out, {"tables": lambda name: name.endswith(".csv")}) as staging:
                    (staging / "tables").mkdir()
                    (staging / "tables" / "a.csv").write_text(f"{n}\n")
                    (staging / "book.xlsx").write_text(f"{n}\n")
        except BaseException as exc:  # noqa: BLE001 (collected for the assertion)
            errors.append(exc)

    threads = [threading.Thread(target=one_run, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(p.name for p in out.iterdir()) == ["book.xlsx", "tables"]
    assert sorted(p.name for p in (out / "tables").iterdir()) == ["a.csv"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["gaps", "--country", ""], "argument --country: an empty value"),
        (["run", "--out", ""], "argument --out: an empty value"),
        (["fetch", "--mirror", ""], "argument --mirror: an empty value"),
        (["gaps", "--set", "a\x01b"], "control character"),
        (["gaps", "--set", "a" * 120_000], "120000 characters"),
        (["run", "--since", "2020-01-01", "--since-snapshot"], "give --since or --since-snapshot, not both"),
    ],
)
def test_bad_arguments_are_one_short_line(argv: list[str], expected: str, capsys, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) if "--since" not in argv else _returns(2):
        code = main(argv)
        if "--since" in argv:
            assert code == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1 and len(err) < 400


class _returns:
    def __init__(self, code: int) -> None:
        self.code = code

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


@pytest.mark.parametrize(("name", "expected"), [("a\u0001b", "control character"), ("n" * 300, "300 characters")])
def test_a_set_name_with_a_control_character_or_too_long_is_refused(tmp_path, capsys, name, expected) -> None:
    # issue: IllegalCharacterError (control character), File name too long (over 255)
    path = tmp_path / "set.toml"
    path.write_text(f'name = "{name}"\ninstruments = ["ICRMW"]\n'.replace("\u0001", "\\u0001"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", "--set", str(path), "--as-of", ON, "--no-charts", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "key 'name'" in err and err.count("\n") == 1 and not out.exists()


def test_a_killed_runs_staging_folder_and_temporary_files_are_removed_by_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / ".rt2gaps-run.k2j3h4g5" / "charts").mkdir(parents=True)  # what SIGKILL leaves
    (out / ".rt2gaps-run.k2j3h4g5" / "charts" / "a.png").write_bytes(b"half")
    (out / ".book.xlsx.ab12cd34.tmp").write_bytes(b"half")  # a killed atomic write of book.xlsx
    kept = [".rt2gaps-run.notes", "my.tmp", ".other.xlsx.ab12cd34.tmp"]
    for name in kept:
        (out / name).write_text("the user's")
    with staged_output(out, {}) as staging:
        (staging / "book.xlsx").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == sorted([*kept, "book.xlsx"])


def test_run_as_of_2108_is_one_line_and_writes_nothing(tmp_path: Path, capsys) -> None:
    # issue: `--as-of 2108-01-01` ended in the zip writer's struct.error, and six chart files stayed behind
    out = tmp_path / "out"
    assert main(["run", "--as-of", "2108-01-01", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rt2gaps: error: --as-of") and err.count("\n") == 1
    assert not out.exists()
