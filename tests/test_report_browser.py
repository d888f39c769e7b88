"""The HTML report of a real run (a real check and a real bench of TensorFlow 2.21), opened in a real
browser: headless Chromium from the system packages (`.ci/run` installs it; skipped without one, and a
failure in CI)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import missing, python_version, run_cli

# Quiet and offline: without the background-networking flags Chromium keeps trying to reach Google.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return shutil.which(name)
    missing("no Chromium or Chrome on PATH (Debian: apt-get install chromium)")


def chromium(browser: str, page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [browser, *CHROMIUM_FLAGS, "--user-data-dir={}".format(profile), *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_the_report_of_a_real_run_renders_in_a_real_browser(tmp_path, tf_current_python):
    browser = find_chromium()
    env = dict(os.environ, TFENVCHECK_STATE_DIR=str(tmp_path / "state"))
    bench = run_cli(
        "bench",
        "image",
        "--python",
        str(tf_current_python),
        "--workload",
        "A0",
        "--quick",
        "--samples",
        "96",
        "--steps",
        "3",
        "--output",
        "bench.json",
        env=env,
        cwd=tmp_path,
    )
    assert bench.returncode == 0, bench.stdout + bench.stderr
    report = run_cli(
        "report",
        "--python",
        str(tf_current_python),
        "--profile",
        "exam-2024",
        "--from",
        "bench.json",
        "--html",
        "report.html",
        "--json",
        "report.json",
        env=env,
        cwd=tmp_path,
    )
    # The profile wants TensorFlow 2.13 and Python 3.9: not ready, exit 1.
    assert report.returncode == 1, report.stderr
    page = tmp_path / "report.html"

    dom = chromium(browser, page, tmp_path / "chromium", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = dom.stdout
    assert '<section class="verdict not-ready' in rendered and "<strong>Not ready</strong>" in rendered
    # The findings say the venv has neither the Python nor the TensorFlow the profile wants.
    assert "Python {} is outside what exam-2024 needs".format(python_version(tf_current_python)) in rendered
    assert "tensorflow-cpu 2.21.0" in rendered
    chart = rendered[rendered.index('id="exam-chart"') :]
    assert "<svg" in chart and "5-hour exam" in chart and "A0 CNN baseline, 10 epochs (CPU)" in chart

    shot = tmp_path / "report.png"
    done = chromium(browser, page, tmp_path / "chromium", "--screenshot={}".format(shot), "--window-size=1100,2400")
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    from matplotlib.image import imread  # a dependency of tfenvcheck; it reads PNG

    pixels = imread(str(shot))
    assert pixels.shape[:2] == (2400, 1100)
    colours = {tuple(pixel) for pixel in pixels[::16, ::16, :3].reshape(-1, 3).round(2).tolist()}
    assert len(colours) > 20, "a page with a verdict banner, text and charts, not a blank one"
