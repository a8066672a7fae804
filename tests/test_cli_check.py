"""`civgraph check`, `codes` and `explain` as a user meets them: output, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from civgraph.catalogue import shape_files
from civgraph.cli import main
from tests.conftest import catalogue_codes

MINIMAL_UNIT = """@prefix civ: <https://w3id.org/civgraph/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/u1> a civ:District ; rdfs:label "测试区"@zh .
"""


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_malformed_turtle_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(MINIMAL_UNIT + '<https://example.org/u2> a "unterminated .\n', encoding="utf-8")
    code, out, err = run(["check", str(bad), "--as-of", "2025-12-31"], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith(f"civgraph: error: {bad}:4:")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_unknown_code_lists_valid_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d.ttl"
    data.write_text(MINIMAL_UNIT, encoding="utf-8")
    code, _, err = run(["check", str(data), "--select", "CIV-9.9", "--as-of", "2025-01-01"], capsys)
    assert code == 2
    assert "CIV-9.9" in err
    assert all(c in err for c in shape_files())


def test_missing_path_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", str(tmp_path / "nope.ttl"), "--as-of", "2025-01-01"], capsys)
    assert code == 2
    assert "nope.ttl: no such file or folder" in err


def test_unreadable_file_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # /proc/self/mem fails every read with EIO, even for root (who ignores chmod).
    target = tmp_path / "d.ttl"
    target.symlink_to("/proc/self/mem")
    code, _, err = run(["check", str(target), "--as-of", "2025-01-01"], capsys)
    assert code == 2
    assert f"{target}: cannot read" in err
    assert len(err.strip().splitlines()) == 1


def test_wrong_file_kind_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / "data.xlsx"
    odd.write_bytes(b"PK")
    code, _, err = run(["check", str(odd), "--as-of", "2025-01-01"], capsys)
    assert code == 2
    assert "data.xlsx: not an RDF file" in err


def test_data_without_units_is_not_an_empty_success(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "nothing.ttl"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    code, out, err = run(["check", str(data), "--as-of", "2025-01-01"], capsys)
    assert code == 2
    assert "describes no units" in err
    assert out == ""


@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", "2025/01/01"])
def test_bad_as_of_date(bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "--demo", "--as-of", bad], capsys)
    assert code == 2
    assert bad in err


def test_unknown_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d.ttl"
    data.write_text(MINIMAL_UNIT, encoding="utf-8")
    code, _, err = run(
        ["check", str(data), "--as-of", "2025-01-01", "--setting", "nonsense=3"], capsys
    )
    assert code == 2
    assert "unknown setting 'nonsense'" in err


def test_check_demo_folder_prints_accountable_names_and_exits_1(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["check", str(demo_dir), "--as-of", "2025-12-31"], capsys)
    assert code == 1
    assert "思明区" in out
    assert "主要负责人" in out
    assert "CIV-3.5" in out


def test_json_output_file_is_written(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run(
        [
            "check",
            str(demo_dir),
            "--as-of",
            "2025-12-31",
            "--format",
            "json",
            "--lang",
            "en",
            "--select",
            "CIV-3",
            "--output",
            str(target),
        ],
        capsys,
    )
    assert code == 1
    assert out == ""
    document = json.loads(target.read_text(encoding="utf-8"))
    assert {f["code"][:5] for f in document["findings"]} == {"CIV-3"}
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_codes_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["codes", "--format", "json"], capsys)
    assert code == 0
    listed = [row["code"] for row in json.loads(out)]
    assert listed == (catalogue_codes() or list(shape_files()))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("code", catalogue_codes() or sorted(shape_files()))
def test_explain_page(code: str, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    exit_code, out, _ = run(["explain", code, "--lang", lang], capsys)
    assert exit_code == 0
    assert out.startswith(code)
    assert ("原文" if lang == "zh" else "Source text") in out
    assert "violates.ttl" in out and "conforms.ttl" in out
    assert "无示例" not in out and "(no example)" not in out


def test_explain_unknown_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["explain", "CIV-0.0"], capsys)
    assert code == 2
    assert "unknown obligation code" in err


def test_the_console_script_ends_with_the_exit_code_and_all_of_its_output(
    demo_dir: Path, tmp_path: Path
) -> None:
    """The installed command skips freeing its in-memory store at exit (civgraph.teardown):
    the report on standard output and the one written to a file are still whole."""
    import subprocess
    import sys

    command = [sys.executable, "-c", "from civgraph.cli import run; run()", "check"]
    args = [str(demo_dir), "--as-of", "2025-12-31", "--format", "json"]
    done = subprocess.run(command + args, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    printed = json.loads(done.stdout)
    assert len(printed["findings"]) > 0
    written = tmp_path / "report.json"
    done = subprocess.run(
        command + args + ["-o", str(written)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert json.loads(written.read_text(encoding="utf-8")) == printed
    done = subprocess.run([*command, "--bogus"], capture_output=True, text=True, check=False)
    assert done.returncode == 2


def test_timings_name_each_step_on_standard_error(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["check", str(demo_dir), "--as-of", "2025-12-31", "--timings"], capsys)
    assert code == 1
    line = next(x for x in err.splitlines() if x.startswith("civgraph: timings: "))
    steps = dict(
        part.rsplit(" ", 2)[:2] for part in line.removeprefix("civgraph: timings: ").split(", ")
    )
    assert list(steps) == ["load", "rules", "validation", "attribution", "report"]
    assert all(float(seconds) >= 0 for seconds in steps.values())
    assert "timings" not in out
