"""`undo` after the user changed what a fix wrote: the file (a patched linecache.py, an env .pth) is
"changed since the fix: left alone", byte for byte as the user left it, and undo says so and exits 1."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from tests.helpers import require_python, run_cli
from tests.helpers.fix_targets import ENV_ENTRY, fix_env, linecache_of, private_apple_python, sha256


def fixed(python: Path, env: dict[str, str], *extra: str) -> dict:
    done = run_cli("fix", *extra, "--python", str(python), "--yes", "--json", env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def undone(python: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, dict]:
    done = run_cli("undo", "--python", str(python), "--yes", "--json", env=env)
    return done, json.loads(done.stdout)


def test_a_patched_file_edited_since_the_fix_is_left_alone(tmp_path):
    python = private_apple_python(tmp_path / "CommandLineTools")
    env = fix_env(tmp_path / "state")
    linecache = linecache_of(python)
    original = linecache.read_bytes()
    record = fixed(python, env)
    [patch] = [a for a in record["actions"] if a["kind"] == "patch"]
    edited = linecache.read_bytes() + b"# the user's own line\n"
    linecache.write_bytes(edited)

    done, after = undone(python, env)
    assert done.returncode == 1, done.stderr
    backup = tmp_path / "state" / "runs" / record["run_id"] / patch["backup"]
    assert after["undo"]["status"] == "failed"
    assert after["undo"]["actions"] == [
        {
            "index": patch["index"],
            "kind": "patch",
            "status": "left-alone",
            "detail": "{} changed since the fix (sha256 {}): left alone; the original is in {}".format(
                linecache, hashlib.sha256(edited).hexdigest(), backup
            ),
        }
    ]
    assert linecache.read_bytes() == edited  # as the user left it
    told = run_cli("undo", "--python", str(python), "--yes", env=env)  # the user reads the same, and it stays
    assert told.returncode == 1 and "changed since the fix" in " ".join(told.stdout.split())
    assert linecache.read_bytes() == edited
    assert backup.read_bytes() == original  # and what was there before the fix is still kept


def test_an_env_file_edited_since_the_fix_is_left_alone(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([str(require_python("3.11")), "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "test-env.toml").write_text(ENV_ENTRY)
    env = fix_env(tmp_path / "state")
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    [action] = fixed(python, env, "test-env", "--registry", str(registry))["actions"]
    pth = Path(action["path"])
    pth.write_text("import os; os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')\n")  # the user's own level

    done, after = undone(python, env)
    assert done.returncode == 1, done.stderr
    assert [(a["status"], a["detail"]) for a in after["undo"]["actions"]] == [
        ("left-alone", "{} changed since the fix: left alone".format(pth))
    ]
    assert pth.read_text() == "import os; os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')\n"
    assert sha256(pth) != action["sha256_after"]
