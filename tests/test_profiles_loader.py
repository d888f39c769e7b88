"""The shipped exam profiles, the profile loader's validation, and `tfenvcheck profiles`."""

from __future__ import annotations

import datetime
import json
import re
import shutil

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.helpers import require_python, run_cli
from tfenvcheck.errors import EXIT_USAGE, UsageError
from tfenvcheck.probes.interpreter import interpreter_origin, probe_interpreter
from tfenvcheck.profiles.loader import (
    KNOWN_ORIGINS,
    ProfileError,
    builtin_profiles,
    default_profile,
    load_profile_file,
    resolve_profile,
)
from tfenvcheck.profiles.selection import choose_profile

GOOD_PROFILE = """
name = "course-x"
title = "Course X"
description = "A course's stack."
source = "the course page"
guide_date = 2023-03-01
confirmed = true
python = ">=3.8,<3.12"
requires = ["tensorflow>=2.5,<2.22", "numpy"]
importable = ["numpy"]
refused_origins = ["conda"]

[resources]
min_memory_gib = 2
"""


def test_every_exam_guide_has_a_profile_in_date_order():
    profiles = [p for p in builtin_profiles() if p.kind == "exam"]
    assert [p.name for p in profiles] == [
        "exam-2020-07",
        "exam-2020-12",
        "exam-2021-01",
        "exam-2021-mid",
        "exam-2021-12",
        "exam-2022-07",
        "exam-2024",
    ]
    assert [p.guide_date for p in profiles] == sorted(p.guide_date for p in profiles)
    unconfirmed = {p.name for p in profiles if not p.confirmed}
    assert unconfirmed == {"exam-2021-mid", "exam-2024"}


def test_the_course_profiles_carry_the_courses_pins_and_sources():
    courses = [p for p in builtin_profiles() if p.kind == "course"]
    assert [p.name for p in courses] == ["dlai-tf-2024", "course-2025"]
    dlai, course = courses
    assert [str(r) for r in dlai.requires] == [
        "tensorflow==2.16.1",
        "keras==3.3.3",
        "tensorflow-datasets==4.9.4",
        "pandas==2.1.1",
        "matplotlib==3.8.3",
    ]
    assert dlai.python.contains("3.11.7") and not dlai.python.contains("3.13.1")
    assert dlai.source.startswith("https://github.com/https-deeplearning-ai/tensorflow-1-public")
    assert [str(r) for r in course.requires] == ["tensorflow>=2.20.0", "keras>=3.11.3"]
    assert course.python.contains("3.13.1") and not course.python.contains("3.10.14")
    assert course.source.startswith("https://github.com/AIBabyTeaching/DEEP-LEARNING-2025")
    assert resolve_profile("dlai-tf-2024").summary()["kind"] == "course"


def test_a_profile_of_an_unknown_kind_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\nkind = "bootcamp"\n')
    with pytest.raises(ProfileError) as caught:
        load_profile_file(path)
    assert str(caught.value) == "{}:2: kind: expected one of exam, course, found 'bootcamp'".format(path)


@pytest.mark.parametrize(
    "name, python, tensorflow",
    [
        ("exam-2020-07", "3.7.16", "2.0.0"),
        ("exam-2020-12", "3.8.0", "2.3.0"),
        ("exam-2021-01", "3.8.18", "2.4.1"),
        ("exam-2021-mid", "3.8.18", "2.5.0"),
        ("exam-2021-12", "3.8.18", "2.7.0"),
        ("exam-2022-07", "3.8.18", "2.9.0"),
        ("exam-2024", "3.9.18", "2.13.0"),
    ],
)
def test_profiles_state_the_guides_python_and_tensorflow(name, python, tensorflow):
    profile = resolve_profile(name)
    assert profile.python.contains(python)
    assert not profile.python.contains("3.11.7")
    pins = {canonicalize_name(r.name): r for r in profile.requires}
    assert list(pins["tensorflow"].specifier) and pins["tensorflow"].specifier.contains(tensorflow)
    assert {"conda", "apple-command-line-tools", "xcode"} <= set(profile.refused_origins)
    assert "tensorflow" in profile.importable and profile.min_free_disk_gib and profile.min_memory_gib
    assert profile.pycharm_versions and profile.source and profile.description


def test_default_is_the_newest_confirmed_guide_and_aliases_resolve():
    assert default_profile().name == "exam-2022-07"
    assert resolve_profile(None).name == "exam-2022-07"
    assert resolve_profile("exam-2023-01").name == "exam-2022-07"
    assert resolve_profile("exam-2022-07").guide_date == datetime.date(2022, 7, 12)


# What the interpreter probe's payload reports for a Python of each origin a profile can refuse: the
# paths of Apple's Command Line Tools and Xcode Pythons, and a conda env (its conda-meta folder).
ORIGIN_FACTS = {
    "apple-command-line-tools": {
        "base_prefix": "/Library/Developer/CommandLineTools/Library/Frameworks/Python3.framework/Versions/3.8",
        "real_executable": "/Library/Developer/CommandLineTools/usr/bin/python3",
    },
    "xcode": {
        "base_prefix": "/Applications/Xcode.app/Contents/Developer/Library/Frameworks/Python3.framework/Versions/3.8",
        "real_executable": "/Applications/Xcode.app/Contents/Developer/usr/bin/python3",
    },
    "conda": {"base_prefix": "/home/ana/miniconda3", "real_executable": "/home/ana/miniconda3/bin/python3.8"},
}


def test_refused_origins_are_names_the_interpreter_probe_gives(tmp_path):
    refused = {origin for profile in builtin_profiles() for origin in profile.refused_origins}
    assert refused <= set(KNOWN_ORIGINS) and refused <= set(ORIGIN_FACTS)
    for origin in refused - {"conda"}:
        assert interpreter_origin(dict(ORIGIN_FACTS[origin], sys_version="3.8.9")) == origin
    # conda for real: the probe run in a copy of a pyenv Python whose prefix has conda's marker.
    base = require_python("3.8").resolve().parent.parent
    (tmp_path / "miniconda3" / "bin").mkdir(parents=True)
    shutil.copy2(base / "bin" / "python3.8", tmp_path / "miniconda3" / "bin" / "python3.8")
    (tmp_path / "miniconda3" / "lib").mkdir()
    (tmp_path / "miniconda3" / "lib" / "python3.8").symlink_to(base / "lib" / "python3.8")
    (tmp_path / "miniconda3" / "conda-meta").mkdir()
    assert probe_interpreter(str(tmp_path / "miniconda3" / "bin" / "python3.8")).origin == "conda"


def test_a_custom_profile_file_loads(tmp_path):
    path = tmp_path / "course.toml"
    path.write_text(GOOD_PROFILE)
    profile = resolve_profile(str(path))
    assert profile.name == "course-x" and not profile.builtin and profile.path == str(path)
    assert [str(r) for r in profile.requires] == ["tensorflow<2.22,>=2.5", "numpy"]
    assert profile.min_memory_gib == 2 and profile.min_free_disk_gib is None


def test_a_profile_needs_only_a_name_and_its_requirements(tmp_path):
    path = tmp_path / "my.toml"
    path.write_text('name = "my-course"\nrequires = ["tensorflow-cpu==2.21.0"]\n')
    profile = load_profile_file(path)
    assert (profile.name, profile.title, profile.description, profile.source) == (
        "my-course",
        "my-course",
        "",
        str(path),
    )
    assert profile.guide_date is None and profile.python is None and not profile.confirmed
    assert [str(r) for r in profile.requires] == ["tensorflow-cpu==2.21.0"]
    assert json.loads(json.dumps(profile.summary()))["title"] == "my-course"


@pytest.mark.parametrize(
    "broken, message, line",
    [
        (GOOD_PROFILE.replace('title = "Course X"', 'title = "Course X'), "invalid TOML", 3),
        (
            GOOD_PROFILE.replace('python = ">=3.8,<3.12"', 'python = ">=3.8,<<3.12"'),
            "python: not a version specifier",
            8,
        ),
        (GOOD_PROFILE.replace('"numpy"]', '"numpy>=>1"]'), "requires: bad requirement", 9),
        (GOOD_PROFILE.replace('["conda"]', '["anaconda"]'), "unknown origin 'anaconda'", 11),
        (GOOD_PROFILE.replace("min_memory_gib = 2", 'min_memory_gib = "two"'), "resources.min_memory_gib", 14),
        (GOOD_PROFILE.replace("guide_date = 2023-03-01", 'guide_date = "March"'), "guide_date must be a date", 6),
        (GOOD_PROFILE + 'colour = "blue"\n', "unknown key 'colour'", None),
        (GOOD_PROFILE.replace('name = "course-x"', ""), "missing or not a string: name", None),
        (GOOD_PROFILE.replace('title = "Course X"', "title = 3"), "title must be a str", 3),
    ],
)
def test_a_broken_profile_is_one_line_naming_file_and_line(tmp_path, broken, message, line):
    path = tmp_path / "broken.toml"
    path.write_text(broken)
    with pytest.raises(UsageError) as caught:
        load_profile_file(path)
    text = str(caught.value)
    assert "\n" not in text and message in text and text.startswith(str(path))
    if line is not None:  # "file:3: ..." or "(at line 3, column 18)", and never line 30 for line 3
        named = re.findall(r"^{}:(\d+): |\bline (\d+)\b".format(re.escape(str(path))), text)
        assert [int(a or b) for a, b in named] == [line], text


def test_unknown_profile_name_lists_the_known_ones():
    with pytest.raises(UsageError, match="exam-2021-12"):
        resolve_profile("exam-1999")


def test_requirements_file_alone_or_added_to_a_profile(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text(
        "tensorflow==2.5.0  # the course's pin\n\n-i https://example.invalid/simple\n"
        'numpy>=1.19 ; python_version < "3.9"\nscipy \\\n  ==1.6.3\n'
    )
    alone = choose_profile(None, str(path))
    assert alone.name == "requirements.txt" and alone.python is None
    assert [str(r) for r in alone.requires] == [
        "tensorflow==2.5.0",
        'numpy>=1.19; python_version < "3.9"',
        "scipy==1.6.3",
    ]
    assert alone.requirement_origins["scipy"] == "{}:5".format(path)
    combined = choose_profile("exam-2021-12", str(path))
    pins = {canonicalize_name(r.name): str(r.specifier) for r in combined.requires}
    assert pins["tensorflow"] == "==2.5.0" and pins["pillow"] == "==8.4.0" and pins["scipy"] == "==1.6.3"
    assert combined.python.contains(Version("3.8.18"))


@pytest.mark.parametrize(
    "content, line", [("numpy\ntensorflow=<2\n", 2), ("numpy\n-e git+https://x/y.git\n", 2), ("\n\n\nfoo bar baz\n", 4)]
)
def test_a_bad_requirements_line_is_one_line_naming_file_and_line(tmp_path, content, line):
    path = tmp_path / "requirements.txt"
    path.write_text(content)
    with pytest.raises(UsageError) as caught:
        choose_profile(None, str(path))
    assert str(caught.value).startswith("{}:{}: ".format(path, line)) and "\n" not in str(caught.value)


def test_a_pyprojects_dependencies_are_the_requirements(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[build-system]\nrequires = ["setuptools"]\n\n[project]\nname = "course"\nrequires-python = ">=3.11"\n'
        'dependencies = [\n    "tensorflow>=2.20.0",\n    "keras>=3.11.3",\n    \'numpy<2; python_version < "3.10"\',\n]\n'
    )
    alone = choose_profile(None, str(path))
    assert alone.name == "pyproject.toml" and str(alone.python) == ">=3.11"
    assert [str(r) for r in alone.requires] == [
        "tensorflow>=2.20.0",
        "keras>=3.11.3",
        'numpy<2; python_version < "3.10"',
    ]
    assert alone.requirement_origins["keras"] == "{}:9".format(path)  # the line that names it
    combined = choose_profile("dlai-tf-2024", str(path))
    pins = {canonicalize_name(r.name): str(r.specifier) for r in combined.requires}
    assert pins["tensorflow"] == ">=2.20.0" and pins["pandas"] == "==2.1.1"


@pytest.mark.parametrize(
    "content, message",
    [
        ('[project]\nname = "x"\n', "no [project] dependencies list"),
        ('[project]\ndependencies = ["tensorflow=<2"]\n', "bad requirement 'tensorflow=<2'"),
        ("[project\n", "invalid TOML"),
        ('[project]\nrequires-python = "3.11+"\ndependencies = []\n', ":2: requires-python: not a version specifier"),
    ],
)
def test_a_pyproject_without_usable_dependencies_is_one_line(tmp_path, content, message):
    path = tmp_path / "pyproject.toml"
    path.write_text(content)
    with pytest.raises(UsageError) as caught:
        choose_profile(None, str(path))
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_profiles_command_lists_exams_apart_from_courses_and_the_default():
    done = run_cli("profiles", timeout=60)
    assert done.returncode == 0, done.stderr
    for profile in builtin_profiles():
        assert profile.name in done.stdout
    exams = done.stdout.index("Exams (history: the TensorFlow Developer Certificate closed on 2024-05-01)")
    courses = done.stdout.index("Courses (today's stacks)")
    assert exams < done.stdout.index("exam-2024") < courses < done.stdout.index("dlai-tf-2024")
    default_line = next(line for line in done.stdout.splitlines() if line.strip().startswith("*"))
    assert "exam-2022-07" in default_line
    listing = json.loads(run_cli("profiles", "--json", timeout=60).stdout)
    assert listing["kind"] == "tfenvcheck-profiles"
    rows = listing["profiles"]
    assert [row["name"] for row in rows if row["default"]] == ["exam-2022-07"]
    assert {row["tensorflow"] for row in rows} >= {"==2.0.0", "==2.9.0", "==2.13.0", "==2.16.1", ">=2.20.0"}
    assert {row["name"]: row["kind"] for row in rows if row["kind"] == "course"} == {
        "dlai-tf-2024": "course",
        "course-2025": "course",
    }


def test_check_with_a_malformed_profile_or_requirements_exits_2_with_one_line(tmp_path):
    profile = tmp_path / "bad.toml"
    profile.write_text('name = "x"\ntitle = \n')
    done = run_cli("check", "--profile", str(profile), "--python", "/nonexistent/python", timeout=60)
    assert done.returncode == EXIT_USAGE and done.stdout == ""
    assert done.stderr.count("\n") == 1 and str(profile) in done.stderr and "line 2" in done.stderr
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("numpy\npandas>>1\n")
    done = run_cli("check", "--requirements", str(requirements), "--python", "/nonexistent/python", timeout=60)
    assert done.returncode == EXIT_USAGE and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "{}:2:".format(requirements) in done.stderr
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\ndependencies = [\n  "numpy",\n  "pandas>>1",\n]\n')
    done = run_cli("check", "--requirements", str(pyproject), "--python", "/nonexistent/python", timeout=60)
    assert done.returncode == EXIT_USAGE and done.stdout == ""
    assert done.stderr.startswith("tfenvcheck: error: {}:5: bad requirement 'pandas>>1': ".format(pyproject))
    assert done.stderr.count("\n") == 1
