""" "What to do" leads with the one `tfenvcheck fix` run that fixes most findings, in check and in the report."""

from __future__ import annotations

import os

import pytest

from tests.helpers import run_cli
from tfenvcheck.checks.finding import FAIL, OK, WARN, Finding
from tfenvcheck.errors import EXIT_FAILURES
from tfenvcheck.render.what_to_do import what_to_do

FINDINGS = [
    Finding("python.version", OK, "Python 3.8.18"),
    Finding(
        "package.numpy", FAIL, "numpy is missing", hint='python -m pip install "numpy"', fix_id="pin-profile-packages"
    ),
    Finding(
        "package.pillow",
        FAIL,
        "Pillow is missing",
        hint='python -m pip install "Pillow"',
        fix_id="pin-profile-packages",
    ),
    Finding("gpu", WARN, "No GPU: training runs on the CPU", hint="train in Colab"),
    Finding("breakage.h5py3-str-decode", FAIL, "h5py 3 breaks loading .h5", hint="…", fix_id="h5py3-str-decode"),
    Finding("python.origin", FAIL, "Apple's Python", hint="use a python.org Python", fix_id="apple-clt-python"),
]


def test_the_one_fix_run_covers_the_pins_and_every_automatic_fix():
    todo = what_to_do(FINDINGS, "/x/bin/python", "exam-2022-07", automatic={"h5py3-str-decode"})
    assert todo.command == "tfenvcheck fix --profile exam-2022-07 --python /x/bin/python"
    assert todo.share == "3 of the 5 problems found"
    assert [f.title for f in todo.fixed] == ["numpy is missing", "Pillow is missing", "h5py 3 breaks loading .h5"]
    # Failures first, then warnings; an advice-only fix is something else to do.
    assert [f.title for f in todo.others] == ["Apple's Python", "No GPU: training runs on the CPU"]


def test_one_automatic_fix_is_named_by_its_id_and_a_profile_file_pins_by_hand():
    todo = what_to_do(FINDINGS, "/x/bin/python", None, automatic={"h5py3-str-decode"})
    assert todo.command == "tfenvcheck fix h5py3-str-decode --python /x/bin/python"
    assert todo.share == "1 of the 5 problems found"
    assert "numpy is missing" in [f.title for f in todo.others]


def test_nothing_automatic_leads_with_no_command():
    todo = what_to_do(FINDINGS[3:4], "/x/bin/python", "exam-2022-07", automatic=())
    assert todo.command is None and [f.title for f in todo.others] == ["No GPU: training runs on the CPU"]
    assert what_to_do(FINDINGS[1:3], "/p", "exam-2022-07", ()).share == "all 2 problems found"


# The findings of the Python 3.7 + TensorFlow 2.0.0 venv as pip builds it today that `tfenvcheck fix
# --profile exam-2020-07` fixes: two packages the guide lists, and four known breakages.
FIXED_ON_TF_2_0 = [
    "tensorflow-datasets is missing",
    "Pillow is missing",
    "h5py 3 breaks loading .h5 models in TensorFlow 2.4 and older",
    "numpy 1.20 or newer breaks LSTM layers in TensorFlow 2.4 and older",
    "protobuf 4 breaks TensorFlow releases built with older generated code",
    "ImageDataGenerator needs Pillow and SciPy",
]


@pytest.mark.slow  # the cached TensorFlow 2.0 venv; --no-tensorflow keeps it to seconds
def test_check_and_report_say_the_fix_command_once(tf_2_0_broken_python, tmp_path):
    python = str(tf_2_0_broken_python)
    command = "tfenvcheck fix --profile exam-2020-07 --python {}".format(python)
    env = dict(os.environ, TFENVCHECK_STATE_DIR=str(tmp_path / "state"), COLUMNS="400")
    check = run_cli("check", "--python", python, "--no-tensorflow", "--profile", "exam-2020-07", env=env)
    assert check.returncode == EXIT_FAILURES, check.stderr
    assert "One command fixes 6 of the " in check.stdout and check.stdout.count("fix --profile") == 1
    lead = next(line for line in check.stdout.splitlines() if line.startswith("One command fixes"))
    assert lead.endswith(": " + command)

    report = run_cli(
        "report", "--python", python, "--no-tensorflow", "--profile", "exam-2020-07", "--no-redact",
        "--html", "r.html", "--markdown", "r.md", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert report.returncode == EXIT_FAILURES, report.stderr
    html = (tmp_path / "r.html").read_text()
    todo = html[html.index('<section id="todo">') : html.index("</section>", html.index('<section id="todo">'))]
    assert "One command fixes 6 of the " in todo and todo.count("<code>{}</code>".format(command)) == 1
    fixed = todo[todo.index('<ul class="fixed">') : todo.index("</ul>")]
    assert [title for title in FIXED_ON_TF_2_0 if title in fixed] == FIXED_ON_TF_2_0
    assert todo.count("fix --profile") == 1
    markdown = (tmp_path / "r.md").read_text()
    assert "- One command fixes 6 of the " in markdown and markdown.count("fix --profile") == 1
