"""The product independent of its checkout: a wheel built from the repository, installed in a
fresh virtual environment, restores the KH 22 development lines exactly as the checkout does.

Offline: the wheel is built without build isolation from a copy of the sources, installed
without dependencies, and the environment finds the dependencies in the development venv's
site-packages through PYTHONPATH (which does not run that venv's .pth files, so its editable
install of the checkout stays out of reach).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from normalizers.restore import load_or_build
from pipeline.dev.evaluate import CLEAN_PLANS, kh22_dev_pair, syllable_accuracy
from tests.conftest import RAW, REPO

SOURCES = ("pyproject.toml", "README.md", "schemas", "normalizers", "extractors", "pipeline")


def _built_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "-q", "-w", str(tmp_path / "dist"), str(source)], check=True)
    (wheel,) = (tmp_path / "dist").glob("chitieu-*.whl")
    return wheel


def _installed(wheel: Path, tmp_path: Path) -> Path:
    environment = tmp_path / "env"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                    "--no-index", "-q", str(wheel)], check=True)
    return environment / "bin" / "chitieu"


@pytest.mark.slow
def test_an_installed_wheel_restores_kh22_as_the_checkout_does(tmp_path: Path) -> None:
    ocr, gold = kh22_dev_pair()
    text = tmp_path / "kh22-dev.txt"
    text.write_text("\n".join(ocr) + "\n", encoding="utf-8")
    chitieu = _installed(_built_wheel(tmp_path), tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    corpus = [argument for name in CLEAN_PLANS
              for argument in ("--corpus", str(RAW / f"{name}.txt"))]
    environment = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    result = subprocess.run(
        [str(chitieu), "restore", str(text), *corpus, "--db", str(outside / "w.duckdb")],
        cwd=outside, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    installed = result.stdout.splitlines()

    checkout_corpus = [line for name in CLEAN_PLANS
                       for line in (RAW / f"{name}.txt").read_text(encoding="utf-8").splitlines()]
    checkout = [line.text for line in
                load_or_build([checkout_corpus], tmp_path / "models").restore_lines(ocr)]
    assert installed == checkout
    assert syllable_accuracy(installed, gold) >= 0.97
