"""Where an interpreter comes from, told from the paths real installations use."""

from __future__ import annotations

import pytest

from tfenvcheck.probes.interpreter import interpreter_origin


@pytest.mark.parametrize(
    "base_prefix, origin",
    [
        (
            "/Library/Developer/CommandLineTools/Library/Frameworks/Python3.framework/Versions/3.7",
            "apple-command-line-tools",
        ),
        ("/Applications/Xcode.app/Contents/Developer/Library/Frameworks/Python3.framework/Versions/3.8", "xcode"),
        ("/Applications/Xcode-beta.app/Contents/Developer/Library/Frameworks/Python3.framework/Versions/3.9", "xcode"),
        ("/Library/Frameworks/Python.framework/Versions/3.8", "python.org"),
        ("/opt/homebrew/Cellar/python@3.8/3.8.18/Frameworks/Python.framework/Versions/3.8", "homebrew"),
        ("/usr/local/Cellar/python@3.8/3.8.18/Frameworks/Python.framework/Versions/3.8", "homebrew"),
        ("/home/ana/.pyenv/versions/3.8.18", "pyenv"),
        ("C:\\Users\\ana\\.pyenv\\pyenv-win\\versions\\3.8.10", "pyenv"),
        ("/home/ana/.local/share/uv/python/cpython-3.8.20-linux-x86_64-gnu", "uv"),
        (
            "C:\\Program Files\\WindowsApps\\PythonSoftwareFoundation.Python.3.8_3.8.2800.0_x64__qbz5n2kfra8p0",
            "windows-store",
        ),
        ("C:\\Users\\ana\\AppData\\Local\\Programs\\Python\\Python38", "python.org"),
        ("/usr", "system"),
        ("/System/Library/Frameworks/Python.framework/Versions/2.7", "system"),
        ("/srv/custom-build/python", "unknown"),
    ],
)
def test_origin_from_base_prefix(base_prefix, origin):
    assert interpreter_origin({"base_prefix": base_prefix, "real_executable": "", "sys_version": ""}) == origin


def test_conda_by_its_meta_folder_or_banner():
    plain = {
        "base_prefix": "/home/ana/.pyenv/versions/miniconda3-4.7.12",
        "real_executable": "",
        "sys_version": "3.7.4",
    }
    assert interpreter_origin(dict(plain, base_conda_meta=True)) == "conda"
    banner = "3.7.4 (default, Aug 13 2019, 20:35:49) \n[GCC 7.3.0] :: Anaconda, Inc. on linux"
    assert interpreter_origin(dict(plain, sys_version=banner)) == "conda"


def test_real_executable_decides_when_the_prefix_says_nothing():
    facts = {
        "base_prefix": "/srv/x",
        "real_executable": "/home/ana/.pyenv/versions/3.7.16/bin/python3.7",
        "sys_version": "",
    }
    assert interpreter_origin(facts) == "pyenv"
