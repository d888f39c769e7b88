"""`tfenvcheck report --from` a saved rehearsal: a Rehearsal section with a table per rehearsal and a
chart of time per question, in the HTML and the Markdown; a broken rehearsal file is one line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import require_python, run_cli
from tfenvcheck.errors import EXIT_USAGE

DATA = Path(__file__).parent / "data"
# Real quick rehearsals (tfenvcheck rehearse --quick --output FILE) on the 2-core development machine:
# the exam-2022-07 stack (Python 3.8, TensorFlow 2.9), and Python 3.7 + TensorFlow 2.0.0 as pip builds it.
HEALTHY = DATA / "rehearsal-quick-tf2.9.json"
BROKEN = DATA / "rehearsal-quick-tf2.0-broken.json"


@pytest.fixture(scope="module")
def saved_check(tmp_path_factory) -> Path:
    """A real check result (no TensorFlow probed), made once for the module's reports."""
    folder = tmp_path_factory.mktemp("check")
    env = dict(os.environ, TFENVCHECK_STATE_DIR=str(folder / "state"))
    check = run_cli("check", "--python", str(require_python("3.11")), "--no-tensorflow", "--json", env=env)
    (folder / "check.json").write_text(check.stdout)
    return folder / "check.json"


def report(tmp_path: Path, *sources: Path) -> tuple[str, str]:
    options = [item for source in sources for item in ("--from", str(source))]
    done = run_cli("report", *options, "--html", "r.html", "--markdown", "r.md", "--json", "r.json", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    return (tmp_path / "r.html").read_text(), (tmp_path / "r.md").read_text()


def test_saved_rehearsals_get_a_section_with_a_table_and_a_chart_of_time_per_question(tmp_path, saved_check):
    html, markdown = report(tmp_path, saved_check, HEALTHY, BROKEN)
    section = html[html.index('<section id="rehearsal">') :]
    section = section[: section.index("</section>")]
    assert "5 of 5 questions passed in" in section and "0 of 5 questions passed in" in section
    assert section.count("<svg") == 2 and "Q3 real-images" in section and "reload and score" in section
    assert "passed, reloaded from .h5" in section
    assert "failed at import: TypeError: Descriptors cannot not be created directly." in section
    assert "(protobuf4-descriptors): tfenvcheck fix protobuf4-descriptors" in section
    assert "| 1 | a basic model: a regression from a handful of numbers | passed, reloaded from .h5 |" in markdown
    # The report's JSON keeps the rehearsals: re-rendered from it, the page is the same.
    again = run_cli("report", "--from", "r.json", "--html", "again.html", cwd=tmp_path)
    assert again.returncode in (0, 1), again.stderr
    assert (tmp_path / "again.html").read_text() == html


def test_a_rehearsal_file_that_is_not_one_is_refused_in_one_line(tmp_path, saved_check):
    broken = json.loads(HEALTHY.read_text())
    broken["questions"][0]["metric"] = "loss"
    (tmp_path / "bad.json").write_text(json.dumps(broken))
    done = run_cli("report", "--from", str(saved_check), "--from", "bad.json", "--html", "r.html", cwd=tmp_path)
    assert done.returncode == EXIT_USAGE
    assert done.stderr.strip().splitlines() == [
        "tfenvcheck: error: bad.json: not a valid rehearsal: at $.questions[0].metric: 'loss' is not one of "
        "['accuracy', 'mae']"
    ]
