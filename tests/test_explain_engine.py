"""The pattern engine: RE2, line by line under a length cap; patterns are data and cannot hang it."""

from __future__ import annotations

import io
import time

from tests.helpers import run_cli
from tfenvcheck.checks.tensorflow import known_import_error
from tfenvcheck.explain.diagnose import explain_lines
from tfenvcheck.explain.patterns import MAX_LINE_CHARS, PatternSet
from tfenvcheck.explain.reading import text_lines
from tfenvcheck.registry.loader import load_registry

ENTRY = """
id = "team-{name}"
title = "A breakage our team knows"
symptom = "TeamError: the team's message"
patterns = [{pattern}]
[when]
packages = {{ pip = ">=1" }}
[[fix]]
kind = "advise"
text = "ask the team"
"""


def write_entry(folder, name, pattern):
    folder.mkdir(exist_ok=True)
    path = folder / "team-{}.toml".format(name)
    path.write_text(ENTRY.format(name=name, pattern=pattern))
    return path


def test_a_pathological_pattern_answers_in_linear_time():
    """(a+)+$ backtracks exponentially in Python's re on 'aaa...ab'; RE2 answers at once."""
    patterns = PatternSet([("(a+)+$", "nested"), ("(x+x+)+y", "quadratic")])
    line = "a" * (MAX_LINE_CHARS - 1) + "b"
    started = time.perf_counter()
    for _ in range(100):
        assert patterns.keys_in(line) == []
        assert patterns.keys_in("x" * 3000) == []
    assert time.perf_counter() - started < 1.0


def test_a_pathological_pattern_from_a_registry_directory_is_harmless(tmp_path):
    write_entry(tmp_path / "registry", "nested", '"(a+)+$"')
    started = time.perf_counter()
    done = run_cli("explain", "--no-target", "--registry", str(tmp_path / "registry"), stdin=("a" * 30 + "!\n") * 2000)
    assert done.returncode == 0, done.stderr
    assert time.perf_counter() - started < 20  # the command's start-up; the matching itself is milliseconds


def test_a_pattern_re2_cannot_run_is_refused_in_one_line(tmp_path):
    path = write_entry(tmp_path / "registry", "backref", r'"(a)\\1"')
    done = run_cli("explain", "--no-target", "--registry", str(tmp_path / "registry"), stdin="x\n")
    assert done.returncode == 2
    assert done.stderr == (
        "tfenvcheck: error: {}: patterns[0]: not a pattern RE2 runs (invalid escape sequence: \\1): "
        "'(a)\\\\1'\n".format(path)
    )


def test_a_new_symptom_is_data_only(tmp_path):
    write_entry(tmp_path / "registry", "message", '"TeamError: the team.s message"')
    done = run_cli(
        "explain",
        "--no-target",
        "--json",
        "--registry",
        str(tmp_path / "registry"),
        stdin="Traceback (most recent call last):\nTeamError: the team's message\n",
    )
    assert done.returncode == 1
    assert '"id": "team-message"' in done.stdout


def test_lines_are_cut_at_the_cap_and_carriage_returns_end_lines():
    data = b"a\r\nepoch 1\repoch 2\n" + b"y" * (3 * MAX_LINE_CHARS) + b"Descriptors\nlast"
    lines = list(text_lines(io.BytesIO(data)))
    assert lines[:3] == ["a", "epoch 1", "epoch 2"]
    assert lines[3] == "y" * MAX_LINE_CHARS  # what lies beyond the cap is never searched
    assert lines[4:] == ["last"]


def test_a_symptom_beyond_the_cap_of_its_line_is_not_seen():
    registry = load_registry()
    message = "TypeError: Descriptors cannot not be created directly."
    assert explain_lines([message], registry).diagnoses
    assert not explain_lines(["x" * MAX_LINE_CHARS + message], registry).diagnoses


def test_check_recognises_an_import_error_by_the_same_patterns(tmp_path):
    """One matcher: `check`'s import-error hint comes from an entry's `patterns` through the same engine."""
    write_entry(tmp_path / "registry", "regex", '"TeamError: the team.s m[a-z]+"')
    registry = load_registry([tmp_path / "registry"])
    assert known_import_error("TeamError: the team's message", registry)[0] == "team-regex"
    assert known_import_error("TeamError: the team's 42", registry) is None
