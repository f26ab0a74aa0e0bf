"""scripts/bundle/completeness.py on small wheels made here: markers, extras, tags, versions."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

from scripts.bundle import completeness


def make_wheel(folder: Path, filename: str, requires: Sequence[str] = (), extras: Sequence[str] = ()) -> None:
    """A wheel file with only a METADATA: enough for the walk (it never installs)."""
    name, version = filename.split("-")[:2]
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Provides-Extra: {extra}" for extra in extras] + [f"Requires-Dist: {line}" for line in requires]
    with zipfile.ZipFile(folder / filename, "w") as archive:
        archive.writestr(f"{name}-{version}.dist-info/METADATA", "\n".join(lines) + "\n")


def project_wheels(folder: Path) -> None:
    """roa2web with a Windows-only base requirement, an extra asking for another, and `all`."""
    make_wheel(folder, "roa2web-1.0-py3-none-any.whl",
               ["quart>=0.23", 'tzdata; platform_system == "Windows"', 'numpy>=2; extra == "ocr"',
                'roa2web[ocr]; extra == "all"'], ["ocr", "all"])
    make_wheel(folder, "quart-0.23.1-py3-none-any.whl", ['colorama; sys_platform == "win32"'])
    make_wheel(folder, "numpy-2.5.5-cp313-cp313-win_amd64.whl")


def test_a_complete_windows_folder_names_what_only_windows_needs(tmp_path: Path) -> None:
    project_wheels(tmp_path)
    make_wheel(tmp_path, "tzdata-2026.6-py2.py3-none-any.whl")
    make_wheel(tmp_path, "colorama-0.4.6-py2.py3-none-any.whl")
    report = completeness.check(tmp_path, "win_amd64", ["all"])
    assert report.complete, report
    assert report.used == {"roa2web", "quart", "numpy", "tzdata", "colorama"}
    assert report.target_only == {("tzdata", "roa2web"), ("colorama", "quart")}
    assert report.unused == []


def test_the_windows_only_wheels_missing_are_named_with_who_asks(tmp_path: Path) -> None:
    project_wheels(tmp_path)
    report = completeness.check(tmp_path, "win_amd64", [])
    assert sorted(report.missing) == ['colorama; sys_platform == "win32" for quart',
                                      'tzdata; platform_system == "Windows" for roa2web']
    assert report.unused == ["numpy-2.5.5-cp313-cp313-win_amd64.whl"], "numpy is only for the ocr extra"


def test_an_extra_pulls_its_requirements_and_a_wrong_version_is_missing(tmp_path: Path) -> None:
    make_wheel(tmp_path, "roa2web-1.0-py3-none-any.whl", ['numpy>=3; extra == "ocr"'], ["ocr"])
    make_wheel(tmp_path, "numpy-2.5.5-cp313-cp313-win_amd64.whl")
    assert completeness.check(tmp_path, "win_amd64", []).complete
    report = completeness.check(tmp_path, "win_amd64", ["ocr"])
    assert report.missing == ['numpy>=3; extra == "ocr" for roa2web[ocr] (the folder has 2.5.5)']
    assert completeness.check(tmp_path, "win_amd64", ["gpu"]).missing == ["roa2web has no extra 'gpu'"]


def test_wheels_for_another_platform_or_python_and_two_versions_are_refused(tmp_path: Path) -> None:
    make_wheel(tmp_path, "roa2web-1.0-py3-none-any.whl", ["numpy", "orjson", "psutil", "pypdfium2"])
    make_wheel(tmp_path, "numpy-2.5.5-cp313-cp313-manylinux_2_28_x86_64.whl")
    make_wheel(tmp_path, "orjson-3.13.0-cp312-cp312-win_amd64.whl")
    make_wheel(tmp_path, "psutil-7.2.2-cp37-abi3-win_amd64.whl")
    make_wheel(tmp_path, "pypdfium2-5.15.2-py3-none-win_amd64.whl")
    make_wheel(tmp_path, "pypdfium2-5.15.1-py3-none-win_amd64.whl")
    report = completeness.check(tmp_path, "win_amd64", [])
    assert sorted(report.incompatible) == ["numpy-2.5.5-cp313-cp313-manylinux_2_28_x86_64.whl",
                                           "orjson-3.13.0-cp312-cp312-win_amd64.whl"]
    assert report.duplicates == ["pypdfium2-5.15.1-py3-none-win_amd64.whl and pypdfium2-5.15.2-py3-none-win_amd64.whl"]
    assert not report.complete


def test_the_command_line_exits_1_on_an_incomplete_folder(tmp_path: Path, capsys) -> None:
    project_wheels(tmp_path)
    assert completeness.main([str(tmp_path), "--platform", "win_amd64", "--extras", ""]) == 1
    assert "missing: tzdata" in capsys.readouterr().out
    make_wheel(tmp_path, "tzdata-2026.6-py2.py3-none-any.whl")
    make_wheel(tmp_path, "colorama-0.4.6-py2.py3-none-any.whl")
    assert completeness.main([str(tmp_path), "--platform", "win_amd64", "--extras", "all"]) == 0
    assert "5 projects needed on Windows" in capsys.readouterr().out
