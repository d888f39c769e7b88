"""The bad-input corpus: hostile and special files, saved documents of the right kind with the wrong
contents, tampered journals, odd options, terminals and encodings, each a real run of the CLI that
must end with the documented exit code and one clear line (tests/helpers/bad_inputs.py checks the
rest: no traceback, only JSON under --json, nothing changed outside the case's folder).

The cases are data: a list per class of input, so a new bad input is one more line.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.helpers import run_cli
from tests.helpers.bad_inputs import Case, Outcome, run_case

USAGE, COULD_NOT_CHECK, FAILURES, OK = 2, 3, 1, 0
BENCH_FILE = Path(__file__).parent / "data" / "bench-quick-tf2.21-cpu.json"
RUN_ID = "20261122T031500Z-3f9a"
MISSING_PYTHON = "{case}/no-such-python"

# -- what the cases are made of ---------------------------------------------------------------------


@functools.cache
def saved_check() -> dict[str, Any]:
    """A real `check --json` document, of the interpreter running the tests (no TensorFlow probed)."""
    done = run_cli("check", "--python", sys.executable, "--no-tensorflow", "--json", timeout=120)
    return json.loads(done.stdout)


def saved_bench() -> dict[str, Any]:
    return json.loads(BENCH_FILE.read_text())


def saved_report() -> dict[str, Any]:
    check = saved_check()
    return {
        "kind": "tfenvcheck-report",
        "schema_version": 1,
        "tool": check["tool"],
        "created": check["created"],
        "check": check,
        "fix_runs": [],
        "bench": [saved_bench()],
        "fixes": {},
    }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


ORIGINAL = b"for mod in sys.modules.values():\n"
PATCHED = b"for mod in list(sys.modules.values()):\n"


def journal(folder: Path) -> dict[str, Any]:
    """A fix run's journal as `fix` writes it (a patch, an env setting, an advice), with its files."""
    target = folder / "target"
    (target / "lib").mkdir(parents=True, exist_ok=True)
    (target / "lib" / "linecache.py").write_bytes(PATCHED)
    backups = folder / "state" / "runs" / RUN_ID / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    (backups / "1-linecache.py").write_bytes(ORIGINAL)
    pth = b"import os; os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')\n"
    (target / "lib" / "tfenvcheck-env-TF_CPP_MIN_LOG_LEVEL.pth").write_bytes(pth)
    common = {"breakage_ids": ["apple-linecache"], "error": None}
    return {
        "kind": "tfenvcheck-fix-run",
        "schema_version": 1,
        "tool": {"name": "tfenvcheck", "version": "0.1.0"},
        "created": "2026-11-22T03:15:00+00:00",
        "run_id": RUN_ID,
        "finished": "2026-11-22T03:16:10+00:00",
        "status": "done",
        "target": {"executable": str(target / "bin" / "python"), "prefix": str(target), "key": "0123456789abcdef"},
        "requested_ids": [],
        "breakages": [{"id": "apple-linecache", "title": "Apple's linecache loop", "seen": ["linecache.py"]}],
        "actions": [
            {"index": 0, "kind": "advise", "description": "read this", "status": "planned", "text": "read", **common},
            {
                "index": 1,
                "kind": "patch",
                "description": "patch linecache",
                "status": "applied",
                "module": "linecache",
                "path": str(target / "lib" / "linecache.py"),
                "find": ORIGINAL.decode(),
                "replace": PATCHED.decode(),
                "sha256_before": sha256(ORIGINAL),
                "sha256_after": sha256(PATCHED),
                "backup": "backups/1-linecache.py",
                "temp": str(target / "lib" / ".linecache.py.tmp"),
                **common,
            },
            {
                "index": 2,
                "kind": "env",
                "description": "set TF_CPP_MIN_LOG_LEVEL=2",
                "status": "applied",
                "name": "TF_CPP_MIN_LOG_LEVEL",
                "value": "2",
                "path": str(target / "lib" / "tfenvcheck-env-TF_CPP_MIN_LOG_LEVEL.pth"),
                "sha256_before": None,
                "sha256_after": sha256(pth),
                **common,
            },
        ],
        "verification": [{"breakage_id": "apple-linecache", "status": "gone", "detail": "no longer applies"}],
        "undo": None,
    }


def set_at(document: Any, path: str, value: Any) -> Any:
    """`document` with the value at dotted `path` ("actions.1.sha256_before") replaced; DELETE removes it."""
    document = copy.deepcopy(document)
    *parents, last = [int(part) if part.isdigit() else part for part in path.split(".")]
    holder = document
    for part in parents:
        holder = holder[part]
    if value is DELETE:
        del holder[last]
    else:
        holder[last] = value
    return document


DELETE = object()


def write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return setup


def fifo(name: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(folder / name)

    return setup


def symlink(name: str, to: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        os.symlink(to.replace("{case}", str(folder)), folder / name)

    return setup


def both(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        for one in setups:
            one(folder)

    return setup


def document(name: str, make: Callable[[], Any], raw: Callable[[str], str] | None = None) -> Callable[[Path], None]:
    """A saved JSON document made by `make`, its text changed by `raw` (for what json.dumps cannot write)."""

    def setup(folder: Path) -> None:
        text = json.dumps(make())
        (folder / name).write_text(raw(text) if raw else text, encoding="utf-8")

    return setup


def journal_file(change: Callable[[dict[str, Any]], Any] = lambda record: record, raw: str | None = None):
    """The journal of RUN_ID in the case's state folder, changed by `change` (or replaced by `raw` text)."""

    def setup(folder: Path) -> None:
        record = change(journal(folder))
        path = folder / "state" / "runs" / RUN_ID / "journal.json"
        path.write_text(raw if raw is not None else json.dumps(record), encoding="utf-8")

    return setup


# A profile and a breakage file that load: each bad case changes one thing.
PROFILE = 'name = "mine"\nrequires = ["numpy>=1.20"]\n'
BREAKAGE = """id = "demo"
title = "Demo breakage"
symptom = "Boom"
[when]
packages = { demo = ">=1" }
[[fix]]
kind = "advise"
text = "Do something."
"""


def nested_toml(depth: int) -> str:
    return 'name = "deep"\nrequires = []\nx = ' + "[" * depth + "]" * depth + "\n"


def include_chain(depth: int) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        for level in range(depth):
            (folder / "r{}.txt".format(level)).write_text("-r r{}.txt\n".format(level + 1))
        (folder / "r{}.txt".format(depth)).write_text("numpy>=1.20\n")

    return setup


# -- hostile, malformed and special files -----------------------------------------------------------

FILE_CASES = [
    Case(
        "requirements-fifo",
        "files",
        ["check", "--requirements", "pipe.txt"],
        USAGE,
        "pipe.txt: cannot read requirements file: a FIFO, not a regular file",
        fifo("pipe.txt"),
        timeout=15,
    ),
    Case(
        "requirements-fifo-via-symlink",
        "files",
        ["check", "--requirements", "link.txt"],
        USAGE,
        "a FIFO, not a regular file",
        both(fifo("pipe"), symlink("link.txt", "pipe")),
        timeout=15,
    ),
    Case(
        "requirements-dev-zero",
        "files",
        ["check", "--requirements", "/dev/zero"],
        USAGE,
        "/dev/zero: cannot read requirements file: a character device, not a regular file",
    ),
    Case(
        "requirements-dev-null",
        "files",
        ["check", "--requirements", "/dev/null"],
        USAGE,
        "a character device, not a regular file",
    ),
    Case(
        "requirements-proc-file",
        "files",
        ["check", "--requirements", "/proc/self/status"],
        USAGE,
        "a file of the kernel's proc filesystem, not a data file",
    ),
    Case(
        "requirements-directory",
        "files",
        ["check", "--requirements", "{case}"],
        USAGE,
        "cannot read requirements file: a directory, not a regular file",
    ),
    Case(
        "requirements-missing",
        "files",
        ["check", "--requirements", "nowhere.txt"],
        USAGE,
        "nowhere.txt: cannot read requirements file: no such file",
    ),
    Case(
        "requirements-symlink-loop",
        "files",
        ["check", "--requirements", "loop.txt"],
        USAGE,
        "loop.txt: cannot read requirements file: Too many levels of symbolic links",
        symlink("loop.txt", "loop.txt"),
    ),
    Case(
        "requirements-not-utf8",
        "files",
        ["check", "--requirements", "latin.txt"],
        USAGE,
        "latin.txt: cannot read requirements file: not a UTF-8 text file",
        write("latin.txt", b"numpy>=1.20 # caf\xe9\n"),
    ),
    Case(
        "requirements-binary",
        "files",
        ["check", "--requirements", "bin.txt"],
        USAGE,
        "bin.txt: cannot read requirements file: not a UTF-8 text file",
        write("bin.txt", bytes(range(256))),
    ),
    Case(
        "requirements-too-large",
        "files",
        ["check", "--requirements", "big.txt"],
        USAGE,
        "big.txt: cannot read requirements file: larger than 1 MiB",
        write("big.txt", "# padding\n" * 110_000),
    ),
    Case(
        "requirements-bom-accepted",
        "files",
        ["check", "--requirements", "bom.txt", "--python", MISSING_PYTHON],
        COULD_NOT_CHECK,
        "no-such-python: no such file",
        write("bom.txt", b"\xef\xbb\xbfnumpy>=1.20\n"),
        stderr_lines=2,
    ),
    Case(
        "requirements-include-chain-1500",
        "files",
        ["check", "--requirements", "r0.txt"],
        USAGE,
        ": -r includes nested deeper than 32 files",
        include_chain(1500),
        timeout=60,
    ),
    Case(
        "requirements-include-chain-30-accepted",
        "files",
        ["check", "--requirements", "r0.txt", "--python", MISSING_PYTHON],
        COULD_NOT_CHECK,
        "no-such-python: no such file",
        include_chain(30),
        stderr_lines=2,
    ),
    Case(
        "requirements-includes-itself",
        "files",
        ["check", "--requirements", "self.txt"],
        USAGE,
        "self.txt: includes itself",
        write("self.txt", "-r self.txt\n"),
    ),
    Case(
        "requirements-include-fifo",
        "files",
        ["check", "--requirements", "main.txt"],
        USAGE,
        "pipe.txt: cannot read requirements file: a FIFO, not a regular file",
        both(write("main.txt", "-r pipe.txt\n"), fifo("pipe.txt")),
        timeout=15,
    ),
    Case(
        "requirements-include-missing",
        "files",
        ["check", "--requirements", "main.txt"],
        USAGE,
        "gone.txt: cannot read requirements file: no such file",
        write("main.txt", "numpy\n-r gone.txt\n"),
    ),
    Case(
        "requirements-5000-digit-version",
        "files",
        ["check", "--requirements", "long.txt"],
        USAGE,
        "long.txt:2: numpy: version too long: 99999999999999999999... (5000 characters; at most 64)",
        write("long.txt", "pip\nnumpy==" + "9" * 5000 + "\n"),
    ),
    Case(
        "requirements-huge-garbage-line",
        "files",
        ["check", "--requirements", "junk.txt"],
        USAGE,
        "junk.txt:1: bad requirement",
        write("junk.txt", "((" * 5000 + "\n"),
    ),
    Case(
        "requirements-editable",
        "files",
        ["check", "--requirements", "e.txt"],
        USAGE,
        "e.txt:1: unsupported option '-e'",
        write("e.txt", "-e .\n"),
    ),
    Case(
        "profile-fifo",
        "files",
        ["check", "--profile", "pipe.toml"],
        USAGE,
        "pipe.toml: cannot read profile: a FIFO, not a regular file",
        fifo("pipe.toml"),
        timeout=15,
    ),
    Case(
        "profile-dev-zero",
        "files",
        ["check", "--profile", "/dev/zero"],
        USAGE,
        "/dev/zero: cannot read profile: a character device, not a regular file",
    ),
    Case(
        "profile-proc-file",
        "files",
        ["check", "--profile", "/proc/self/environ"],
        USAGE,
        "a file of the kernel's proc filesystem, not a data file",
    ),
    Case(
        "profile-directory",
        "files",
        ["check", "--profile", "dir.toml"],
        USAGE,
        "dir.toml: cannot read profile: a directory, not a regular file",
        lambda folder: (folder / "dir.toml").mkdir(),
    ),
    Case(
        "profile-missing", "files", ["check", "--profile", "nowhere.toml"], USAGE, "nowhere.toml: no such profile file"
    ),
    Case(
        "profile-nested-2000",
        "files",
        ["check", "--profile", "deep.toml"],
        USAGE,
        "deep.toml: nested deeper than 16 levels",
        write("deep.toml", nested_toml(2000)),
    ),
    Case(
        "profile-nested-100",
        "files",
        ["check", "--profile", "deep.toml"],
        USAGE,
        "deep.toml: x.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0: nested deeper than 16 levels",
        write("deep.toml", nested_toml(100)),
    ),
    Case(
        "profile-deep-tables",
        "files",
        ["check", "--profile", "tables.toml"],
        USAGE,
        "nested deeper than 16 levels",
        write("tables.toml", PROFILE + "[" + ".".join("t" for _ in range(300)) + "]\n"),
    ),
    Case(
        "profile-too-large",
        "files",
        ["check", "--profile", "big.toml"],
        USAGE,
        "big.toml: cannot read profile: larger than 1 MiB",
        write("big.toml", PROFILE + "#" * (2**20) + "\n"),
    ),
    Case(
        "profile-empty",
        "files",
        ["check", "--profile", "empty.toml"],
        USAGE,
        "empty.toml: missing or not a string: name",
        write("empty.toml", ""),
    ),
    Case(
        "profile-not-toml",
        "files",
        ["check", "--profile", "bad.toml"],
        USAGE,
        "bad.toml: invalid TOML",
        write("bad.toml", "name = \n"),
    ),
    Case(
        "profile-nul-bytes",
        "files",
        ["check", "--profile", "nul.toml"],
        USAGE,
        "nul.toml: invalid TOML",
        write("nul.toml", b'name = "a\x00b"\n'),
    ),
    Case(
        "profile-not-utf8",
        "files",
        ["check", "--profile", "latin.toml"],
        USAGE,
        "latin.toml: cannot read profile: not a UTF-8 text file",
        write("latin.toml", b'name = "caf\xe9"\n'),
    ),
    Case(
        "profile-5000-digit-requires",
        "files",
        ["check", "--profile", "long.toml"],
        USAGE,
        "long.toml:2: requires: numpy: version too long",
        write("long.toml", 'name = "long"\nrequires = ["numpy==' + "9" * 5000 + '"]\n'),
    ),
    Case(
        "profile-5000-digit-python",
        "files",
        ["check", "--profile", "long.toml"],
        USAGE,
        "long.toml:2: python: version too long",
        write("long.toml", 'name = "long"\npython = ">=' + "3" * 5000 + '"\n'),
    ),
    Case(
        "profile-long-pycharm-version",
        "files",
        ["check", "--profile", "long.toml"],
        USAGE,
        "long.toml:2: pycharm_versions:",
        write("long.toml", 'name = "long"\npycharm_versions = ["' + "2" * 5000 + '"]\n'),
    ),
    Case(
        "profile-wrong-type",
        "files",
        ["check", "--profile", "t.toml"],
        USAGE,
        "t.toml:2: requires must be a list",
        write("t.toml", 'name = "t"\nrequires = "numpy"\n'),
    ),
    Case(
        "registry-fifo-in-folder",
        "files",
        ["fixes", "--registry", "reg"],
        USAGE,
        "pipe.toml: cannot read breakage file: a FIFO, not a regular file",
        fifo("reg/pipe.toml"),
        timeout=15,
    ),
    Case(
        "registry-device-link-in-folder",
        "files",
        ["fixes", "--registry", "reg"],
        USAGE,
        "zero.toml: cannot read breakage file: a character device, not a regular file",
        both(lambda folder: (folder / "reg").mkdir(), symlink("reg/zero.toml", "/dev/zero")),
    ),
    Case(
        "registry-directory-named-toml",
        "files",
        ["fixes", "--registry", "reg"],
        USAGE,
        "sub.toml: cannot read breakage file: a directory, not a regular file",
        lambda folder: (folder / "reg" / "sub.toml").mkdir(parents=True),
    ),
    Case(
        "registry-not-a-folder",
        "files",
        ["fixes", "--registry", "file.txt"],
        USAGE,
        "file.txt: not a directory of breakage files",
        write("file.txt", "x"),
    ),
    Case(
        "registry-nested-3000",
        "files",
        ["fixes", "--registry", "reg"],
        USAGE,
        "deep.toml: nested deeper than 16 levels",
        write("reg/deep.toml", BREAKAGE + "x = " + "[" * 3000 + "]" * 3000 + "\n"),
    ),
    Case(
        "registry-nested-inline-tables",
        "files",
        ["fixes", "--registry", "reg"],
        USAGE,
        "nested deeper than 16 levels",
        write("reg/deep.toml", BREAKAGE.replace('packages = { demo = ">=1" }', "x = " + "{a = " * 40 + "1" + "}" * 40)),
    ),
    Case(
        "registry-5000-digit-version",
        "files",
        ["fixes", "--registry", "reg"],
        USAGE,
        "long.toml:5: when.packages.demo: version too long",
        write("reg/long.toml", BREAKAGE.replace('">=1"', '">=' + "1" * 5000 + '"')),
    ),
    Case(
        "registry-5000-digit-tensorflow",
        "files",
        ["fixes", "--registry", "reg"],
        USAGE,
        "when.tensorflow: version too long",
        write("reg/long.toml", BREAKAGE.replace('packages = { demo = ">=1" }', 'tensorflow = "<' + "2." * 3000 + '0"')),
    ),
    Case(
        "registry-5000-digit-pin",
        "files",
        ["fixes", "--registry", "reg"],
        USAGE,
        "long.toml: fix[0].requirements: demo: version too long: 11111111111111111111... (5000 characters; at most 64)",
        write(
            "reg/long.toml",
            BREAKAGE.replace('kind = "advise"', 'kind = "pin"\nrequirements = ["demo==' + "1" * 5000 + '"]'),
        ),
    ),
    Case(
        "registry-too-large",
        "files",
        ["fixes", "--registry", "reg"],
        USAGE,
        "big.toml: cannot read breakage file: larger than 1 MiB",
        write("reg/big.toml", BREAKAGE + "#" * (2**20) + "\n"),
    ),
    Case(
        "registry-not-utf8",
        "files",
        ["fixes", "--registry", "reg"],
        USAGE,
        "latin.toml: cannot read breakage file: not a UTF-8 text file",
        write("reg/latin.toml", BREAKAGE.encode() + b"# caf\xe9\n"),
    ),
    Case(
        "registry-empty-file", "files", ["fixes", "--registry", "reg"], USAGE, "empty.toml", write("reg/empty.toml", "")
    ),
]

# -- saved documents of the right kind with the wrong contents --------------------------------------


def report_from(name: str, make: Callable[[], Any], raw: Callable[[str], str] | None = None) -> dict[str, Any]:
    return {"args": ["report", "--from", name, "--html", "out.html"], "setup": document(name, make, raw)}


def compare(make: Callable[[], Any], raw: Callable[[str], str] | None = None, *extra: str) -> dict[str, Any]:
    return {
        "args": ["bench", "--compare", str(BENCH_FILE), "other.json", *extra],
        "setup": document("other.json", make, raw),
    }


def no_output_written(folder: Path, outcome: Outcome) -> None:
    assert not (folder / "out.html").exists()


def doc_case(name: str, message: str, spec: dict[str, Any], **more: Any) -> Case:
    return Case(name, "documents", spec["args"], USAGE, message, spec["setup"], check=no_output_written, **more)


DOCUMENT_CASES = [
    doc_case(
        "check-findings-not-a-list",
        "check.json: not a valid check result: at $.findings: {} is not of type 'array'",
        report_from("check.json", lambda: set_at(saved_check(), "findings", {})),
    ),
    doc_case(
        "check-finding-without-title",
        "at $.findings[0]: 'title' is a required property",
        report_from("check.json", lambda: set_at(saved_check(), "findings.0.title", DELETE)),
    ),
    doc_case(
        "check-finding-status-unknown",
        "at $.findings[0].status: 'great' is not one of",
        report_from("check.json", lambda: set_at(saved_check(), "findings.0.status", "great")),
    ),
    doc_case(
        "check-verdict-unknown",
        "at $.verdict: 'maybe' is not one of",
        report_from("check.json", lambda: set_at(saved_check(), "verdict", "maybe")),
    ),
    doc_case(
        "check-counts-a-string",
        "at $.counts: 'many' is not of type 'object'",
        report_from("check.json", lambda: set_at(saved_check(), "counts", "many")),
    ),
    doc_case(
        "check-facts-a-list",
        "at $.facts: [] is not of type 'object'",
        report_from("check.json", lambda: set_at(saved_check(), "facts", [])),
    ),
    doc_case(
        "check-facts-interpreter-missing",
        "at $.facts: 'interpreter' is a required property",
        report_from("check.json", lambda: set_at(saved_check(), "facts.interpreter", DELETE)),
    ),
    doc_case(
        "check-facts-interpreter-bits-text",
        "check.json: not a valid check result: at $.facts",
        report_from("check.json", lambda: set_at(saved_check(), "facts.interpreter.bits", "sixty-four")),
    ),
    doc_case(
        "check-facts-host-cpu-a-list",
        "check.json: not a valid check result: at $.facts",
        report_from("check.json", lambda: set_at(saved_check(), "facts.host.cpu", [])),
    ),
    doc_case(
        "check-profile-missing",
        "at $: 'profile' is a required property",
        report_from("check.json", lambda: set_at(saved_check(), "profile", DELETE)),
    ),
    doc_case(
        "check-exit-code-absurd",
        "at $.exit_code: 7 is not one of",
        report_from("check.json", lambda: set_at(saved_check(), "exit_code", 7)),
    ),
    doc_case(
        "check-5000-digit-integer",
        "check.json: at $.exit_code: an integer of 5000 digits",
        report_from(
            "check.json", saved_check, lambda text: text.replace('"exit_code": 1', '"exit_code": ' + "1" * 5000)
        ),
    ),
    doc_case(
        "check-nan",
        "check.json: at $.counts.ok: NaN is not a JSON number",
        report_from("check.json", saved_check, lambda text: re.sub(r'"ok": \d+', '"ok": NaN', text, count=1)),
    ),
    doc_case(
        "check-schema-version-bool",
        "check.json: not a valid check result: at $.schema_version: 1 was expected",
        report_from("check.json", lambda: set_at(saved_check(), "schema_version", True)),
    ),
    doc_case(
        "report-check-missing",
        "report.json: not a valid report: at $: 'check' is a required property",
        report_from("report.json", lambda: set_at(saved_report(), "check", DELETE)),
    ),
    doc_case(
        "report-check-findings-wrong",
        "at $.check.findings[0].seen: 3 is not of type 'string', 'null'",
        report_from("report.json", lambda: set_at(saved_report(), "check.findings.0.seen", 3)),
    ),
    doc_case(
        "report-fix-runs-an-object",
        "at $.fix_runs: {} is not of type 'array'",
        report_from("report.json", lambda: set_at(saved_report(), "fix_runs", {})),
    ),
    doc_case(
        "report-fix-runs-a-list-of-lists",
        "at $.fix_runs[0]: [] is not of type 'object'",
        report_from("report.json", lambda: set_at(saved_report(), "fix_runs", [[]])),
    ),
    doc_case(
        "report-bench-without-steady",
        "at $.bench[0].workloads[0]: 'steady' is a required property",
        report_from("report.json", lambda: set_at(saved_report(), "bench.0.workloads.0.steady", DELETE)),
    ),
    doc_case(
        "report-fixes-wrong",
        "at $.fixes.x: 'yes' is not of type 'object'",
        report_from("report.json", lambda: set_at(saved_report(), "fixes", {"x": "yes"})),
    ),
    doc_case(
        "report-facts-wrong-inside",
        "report.json: not a valid report: at $.check.facts",
        report_from("report.json", lambda: set_at(saved_report(), "check.facts.interpreter.paths", "nowhere")),
    ),
    doc_case(
        "report-infinity",
        "report.json: at $.bench[0].workloads[0].setup_seconds: Infinity is not a JSON number",
        report_from(
            "report.json",
            saved_report,
            lambda text: text.replace('"setup_seconds": 0.4520731650000016', '"setup_seconds": Infinity', 1),
        ),
    ),
    doc_case(
        "report-deep-nesting",
        "report.json: not a tfenvcheck document: nested deeper than 48 levels",
        report_from("report.json", lambda: 0, lambda text: "[" * 100_000 + "]" * 100_000),
    ),
    doc_case(
        "report-nesting-60",
        "[0][0][0]: nested deeper than 48 levels",
        report_from(
            "report.json",
            lambda: set_at(saved_report(), "check", functools.reduce(lambda inner, _: [inner], range(60), 0)),
        ),
    ),
    doc_case(
        "report-empty-file",
        "report.json: not valid JSON (line 1, column 1: Expecting value)",
        report_from("report.json", lambda: 0, lambda text: ""),
    ),
    doc_case(
        "report-a-string",
        "not a tfenvcheck report, check result, bench result or rehearsal (a JSON str, not an object)",
        report_from("report.json", lambda: "tfenvcheck-report"),
    ),
    doc_case(
        "report-kind-a-megabyte",
        "report.json: not a tfenvcheck report, check result, bench result or rehearsal (kind '" + "x" * 56 + "...)",
        report_from("report.json", lambda: {"kind": "x" * 2**20, "schema_version": 1}),
    ),
    doc_case(
        "report-schema-version-a-megabyte",
        "report.json: a report of schema version '" + "v" * 56 + "..., which this tfenvcheck no longer reads",
        report_from("report.json", lambda: set_at(saved_report(), "schema_version", "v" * 2**20)),
    ),
    doc_case(
        "report-from-fifo",
        "pipe.json: cannot read it (a FIFO, not a regular file)",
        {"args": ["report", "--from", "pipe.json", "--html", "out.html"], "setup": fifo("pipe.json")},
        timeout=15,
    ),
    doc_case(
        "report-from-dev-zero",
        "/dev/zero: cannot read it (a character device, not a regular file)",
        {"args": ["report", "--from", "/dev/zero", "--html", "out.html"], "setup": None},
    ),
    doc_case(
        "bench-from-report-without-mode",
        "bench.json: not a valid bench result: at $: 'mode' is a required property",
        report_from("bench.json", lambda: set_at(saved_bench(), "mode", DELETE)),
    ),
    doc_case(
        "compare-workloads-an-object",
        "other.json: not a valid bench result: at $.workloads: {} is not of type 'array'",
        compare(lambda: set_at(saved_bench(), "workloads", {})),
    ),
    doc_case(
        "compare-steady-missing",
        "at $.workloads[0]: 'steady' is a required property",
        compare(lambda: set_at(saved_bench(), "workloads.0.steady", DELETE)),
    ),
    doc_case(
        "compare-step-a-string",
        "at $.workloads[0].steady.median_step_seconds: 'fast' is not of type 'number'",
        compare(lambda: set_at(saved_bench(), "workloads.0.steady.median_step_seconds", "fast")),
    ),
    doc_case(
        "compare-negative-step",
        "at $.workloads[1].steady.median_step_seconds: -1 is less than the minimum of 0",
        compare(lambda: set_at(saved_bench(), "workloads.1.steady.median_step_seconds", -1)),
    ),
    doc_case(
        "compare-device-kind-unknown",
        "at $.workloads[0].device_kind: 'tpu' is not one of ['cpu', 'gpu']",
        compare(lambda: set_at(saved_bench(), "workloads.0.device_kind", "tpu")),
    ),
    doc_case(
        "compare-data-a-list",
        "at $.workloads[0].data: [] is not of type 'object'",
        compare(lambda: set_at(saved_bench(), "workloads.0.data", [])),
    ),
    doc_case(
        "compare-fingerprint-a-list",
        "at $.fingerprint: [] is not of type 'object'",
        compare(lambda: set_at(saved_bench(), "fingerprint", [])),
    ),
    doc_case(
        "compare-host-missing",
        "at $.fingerprint: 'host' is a required property",
        compare(lambda: set_at(saved_bench(), "fingerprint.host", DELETE)),
    ),
    doc_case(
        "compare-exam-verdict-wrong",
        "at $.exam.cpu.verdict: 'fine' is not one of",
        compare(lambda: set_at(saved_bench(), "exam.cpu.verdict", "fine")),
    ),
    doc_case(
        "compare-errors-wrong",
        "at $.errors[0]: 'error' is a required property",
        compare(lambda: set_at(saved_bench(), "errors", [{"id": "A0", "device_kind": "cpu"}])),
    ),
    doc_case(
        "compare-nan",
        "other.json: at $.workloads[0].steady.mean_step_seconds: NaN is not a JSON number",
        compare(
            saved_bench,
            lambda text: text.replace('"mean_step_seconds": 1.4043690013000287', '"mean_step_seconds": NaN'),
        ),
    ),
    doc_case(
        "compare-minus-infinity",
        "other.json: at $.workloads[0].samples_per_second: -Infinity is not a JSON number",
        compare(
            saved_bench,
            lambda text: text.replace('"samples_per_second": 22.786034133747968', '"samples_per_second": -Infinity'),
        ),
    ),
    doc_case(
        "compare-1e999",
        "other.json: at $.workloads[0].parameters: 1e999 is too large for a number",
        compare(saved_bench, lambda text: text.replace('"parameters": 3989285', '"parameters": 1e999', 1)),
    ),
    doc_case(
        "compare-5000-digit-integer",
        "other.json: at $.workloads[0].parameters: an integer of 5000 digits",
        compare(saved_bench, lambda text: text.replace('"parameters": 3989285', '"parameters": ' + "9" * 5000, 1)),
    ),
    doc_case(
        "compare-deep-nesting",
        "other.json: not a tfenvcheck document: nested deeper than 48 levels",
        compare(lambda: 0, lambda text: '{"a": ' * 50_000 + "1" + "}" * 50_000),
    ),
    doc_case(
        "compare-a-check-result",
        "other.json: not a tfenvcheck bench result (kind 'tfenvcheck-check')",
        compare(saved_check),
    ),
    doc_case(
        "compare-json-bad",
        "other.json: not a valid bench result",
        compare(lambda: set_at(saved_bench(), "workloads.0.title", None), None, "--json"),
    ),
]


def zero_step_bench() -> dict[str, Any]:
    """A valid result whose steps are too fast to divide by: the speed-up cannot be computed."""
    bench = saved_bench()
    for workload in bench["workloads"]:
        workload["steady"]["mean_step_seconds"] = 0
    return bench


def overflowing_bench() -> dict[str, Any]:
    """Step times whose ratio overflows a float (the speed-up would be Infinity)."""
    bench = saved_bench()
    for workload in bench["workloads"]:
        workload["steady"]["mean_step_seconds"] = 1e-320
    return bench


def speedups_not_measured(folder: Path, outcome: Outcome) -> None:
    rows = json.loads(outcome.stdout)["workloads"]
    assert rows and [row["speedup"] for row in rows] == [None] * len(rows)


def not_measured_shown(folder: Path, outcome: Outcome) -> None:
    assert "not measured" in outcome.stdout and "nan" not in outcome.stdout.lower()


COMPUTED_FIGURE_CASES = [
    Case(
        "compare-json-zero-step-is-null",
        "documents",
        compare(zero_step_bench, None, "--json")["args"],
        OK,
        "",
        compare(zero_step_bench)["setup"],
        stderr_lines=0,
        check=speedups_not_measured,
    ),
    Case(
        "compare-json-overflow-is-null",
        "documents",
        compare(overflowing_bench, None, "--json")["args"],
        OK,
        "",
        compare(overflowing_bench)["setup"],
        stderr_lines=0,
        check=speedups_not_measured,
    ),
    Case(
        "compare-text-zero-step-not-measured",
        "documents",
        compare(zero_step_bench)["args"],
        OK,
        "",
        compare(zero_step_bench)["setup"],
        stderr_lines=0,
        check=not_measured_shown,
    ),
]

# -- tampered journals ------------------------------------------------------------------------------


def undo_case(name: str, message: str, change: Callable[[dict[str, Any]], Any], *extra: str, **more: Any) -> Case:
    return Case(name, "journals", ["undo", RUN_ID, *extra], USAGE, message, journal_file(change), **more)


def target_untouched(folder: Path, outcome: Outcome) -> None:
    assert (folder / "target" / "lib" / "linecache.py").read_bytes() == PATCHED
    assert (folder / "target" / "lib" / "tfenvcheck-env-TF_CPP_MIN_LOG_LEVEL.pth").exists()


def journal_case(name: str, message: str, path: str, value: Any) -> Case:
    return undo_case(name, message, lambda record: set_at(record, path, value), "--yes", check=target_untouched)


def raw_journal_case(name: str, message: str, change_text: Callable[[str], str]) -> Case:
    """A journal whose text is changed after json.dumps (for what it cannot write: NaN, huge integers)."""

    def setup(folder: Path) -> None:
        record = journal(folder)
        path = folder / "state" / "runs" / RUN_ID / "journal.json"
        path.write_text(change_text(json.dumps(record)), encoding="utf-8")

    return Case(name, "journals", ["undo", RUN_ID, "--yes"], USAGE, message, setup, check=target_untouched)


def lists_no_run(folder: Path, outcome: Outcome) -> None:
    assert json.loads(outcome.stdout) == []


def fifo_journal(folder: Path) -> None:
    (folder / "state" / "runs" / RUN_ID).mkdir(parents=True)
    os.mkfifo(folder / "state" / "runs" / RUN_ID / "journal.json")


JOURNAL_CASES = [
    journal_case(
        "journal-actions-an-object",
        "journal.json: not a valid fix journal: at $.actions: {} is not of type 'array'",
        "actions",
        {},
    ),
    journal_case("journal-actions-strings", "at $.actions[0]: 'patch' is not of type 'object'", "actions", ["patch"]),
    journal_case(
        "journal-action-without-kind", "at $.actions[1]: 'kind' is a required property", "actions.1.kind", DELETE
    ),
    journal_case("journal-action-kind-unknown", "at $.actions[1].kind: 'rm' is not one of", "actions.1.kind", "rm"),
    journal_case(
        "journal-patch-without-path", "at $.actions[1]: 'path' is a required property", "actions.1.path", DELETE
    ),
    journal_case("journal-patch-path-a-number", "at $.actions[1].path: 7 is not of type 'string'", "actions.1.path", 7),
    journal_case(
        "journal-patch-sha256-not-hex",
        "at $.actions[1].sha256_before: 'abc' does not match",
        "actions.1.sha256_before",
        "abc",
    ),
    journal_case(
        "journal-patch-backup-climbs-out",
        "at $.actions[1].backup: '../../../etc/passwd' does not match",
        "actions.1.backup",
        "../../../etc/passwd",
    ),
    journal_case(
        "journal-patch-backup-absolute",
        "at $.actions[1].backup: '/etc/passwd' does not match",
        "actions.1.backup",
        "/etc/passwd",
    ),
    journal_case(
        "journal-env-name-with-equals", "at $.actions[2].name: 'BAD=NAME' does not match", "actions.2.name", "BAD=NAME"
    ),
    journal_case(
        "journal-env-without-sha256",
        "at $.actions[2]: 'sha256_after' is a required property",
        "actions.2.sha256_after",
        DELETE,
    ),
    journal_case(
        "journal-advise-applied",
        "at $.actions[0].status: 'applied' is not one of ['planned', 'already-done', 'not-run']",
        "actions.0.status",
        "applied",
    ),
    journal_case(
        "journal-action-index-text", "at $.actions[1].index: 'one' is not of type 'integer'", "actions.1.index", "one"
    ),
    journal_case("journal-status-unknown", "at $.status: 'maybe' is not one of", "status", "maybe"),
    journal_case("journal-target-missing", "at $: 'target' is a required property", "target", DELETE),
    journal_case("journal-target-prefix-a-number", "at $.target.prefix: 1 is not of type 'string'", "target.prefix", 1),
    journal_case("journal-undo-a-list", "at $.undo: [] is not valid under any of the given schemas", "undo", []),
    journal_case(
        "journal-undo-actions-wrong",
        "at $.undo",
        "undo",
        {"started": "x", "finished": None, "status": "done", "actions": [{"index": 0}]},
    ),
    journal_case(
        "journal-verification-strings", "at $.verification[0]: 'gone' is not of type 'object'", "verification", ["gone"]
    ),
    journal_case("journal-breakages-strings", "at $.breakages[0]: 'x' is not of type 'object'", "breakages", ["x"]),
    journal_case("journal-run-id-a-path", "at $.run_id: '../other' does not match", "run_id", "../other"),
    raw_journal_case(
        "journal-5000-digit-index",
        "journal.json: at $.actions[1].index: an integer of 5000 digits",
        lambda text: text.replace('"index": 1,', '"index": ' + "1" * 5000 + ","),
    ),
    raw_journal_case(
        "journal-nan",
        "journal.json: at $.actions[1].index: NaN is not a JSON number",
        lambda text: text.replace('"index": 1,', '"index": NaN,'),
    ),
    raw_journal_case("journal-not-json", "journal.json: not valid JSON (line 1, column 2", lambda text: "{" + text),
    Case(
        "journal-is-a-fifo",
        "journals",
        ["undo", RUN_ID, "--yes"],
        USAGE,
        "no fix run '{}'".format(RUN_ID),
        fifo_journal,
        timeout=15,
    ),
    Case(
        "journal-list-skips-a-broken-one",
        "journals",
        ["undo", "--list", "--json"],
        OK,
        "",
        journal_file(raw='{"kind": "tfenvcheck-fix-run", "schema_version": 1, "actions": 3}'),
        stderr_lines=0,
        check=lists_no_run,
    ),
    Case(
        "journal-list-skips-a-fifo",
        "journals",
        ["undo", "--list", "--json"],
        OK,
        "",
        fifo_journal,
        stderr_lines=0,
        timeout=15,
        check=lists_no_run,
    ),
    Case(
        "journal-valid-one-asks-first",
        "journals",
        ["undo", RUN_ID],
        FAILURES,
        "Undo run {}? [y/N]".format(RUN_ID),
        journal_file(),
        stderr_lines=None,
        check=target_untouched,
    ),
    Case(
        "journal-interrupted-before-backup-asks-first",
        "journals",
        ["undo", RUN_ID],
        FAILURES,
        "Undo run {}? [y/N]".format(RUN_ID),
        journal_file(lambda record: set_at(set_at(record, "actions.1.backup", None), "status", "in-progress")),
        stderr_lines=None,
        check=target_untouched,
    ),
    Case("journal-run-id-climbs-out", "journals", ["undo", "../runs"], USAGE, "'../runs' is not a run id"),
]

# -- odd options and settings ----------------------------------------------------------------------

OPTION_CASES = [
    Case(
        "timeout-nan",
        "options",
        ["check", "--timeout", "nan"],
        USAGE,
        "argument --timeout: must be a number of seconds above 0: 'nan'",
    ),
    Case(
        "timeout-inf",
        "options",
        ["check", "--timeout", "inf"],
        USAGE,
        "argument --timeout: must be a number of seconds above 0: 'inf'",
    ),
    Case(
        "timeout-negative",
        "options",
        ["check", "--timeout", "-5"],
        USAGE,
        "argument --timeout: must be a number of seconds above 0: '-5'",
    ),
    Case("timeout-zero", "options", ["check", "--timeout", "0"], USAGE, "must be a number of seconds above 0: '0'"),
    Case(
        "timeout-overflow",
        "options",
        ["check", "--timeout", "1e999"],
        USAGE,
        "must be a number of seconds above 0: '1e999'",
    ),
    Case(
        "timeout-text",
        "options",
        ["check", "--timeout", "soon"],
        USAGE,
        "argument --timeout: not a number of seconds: 'soon'",
    ),
    Case(
        "timeout-report-nan",
        "options",
        ["report", "--timeout", "NaN"],
        USAGE,
        "tfenvcheck report: error: argument --timeout",
    ),
    Case(
        "timeout-bench-inf",
        "options",
        ["bench", "--timeout", "inf"],
        USAGE,
        "tfenvcheck bench: error: argument --timeout",
    ),
    Case(
        "python-empty-check",
        "options",
        ["check", "--python", ""],
        USAGE,
        "argument --python: empty; give an interpreter path or command",
    ),
    Case("python-blank-check", "options", ["check", "--python", "   "], USAGE, "argument --python: empty"),
    Case("python-empty-probe", "options", ["probe", "--python", "", "--json"], USAGE, "argument --python: empty"),
    Case("python-empty-fix", "options", ["fix", "--python", "", "--dry-run"], USAGE, "argument --python: empty"),
    Case("python-empty-undo", "options", ["undo", "--python", ""], USAGE, "argument --python: empty"),
    Case("python-empty-report", "options", ["report", "--python", ""], USAGE, "argument --python: empty"),
    Case("python-empty-bench", "options", ["bench", "--python", ""], USAGE, "argument --python: empty"),
    Case(
        "python-empty-create-env",
        "options",
        ["create-env", "--python", "", "{case}/venv"],
        USAGE,
        "argument --python: empty; give a base interpreter",
    ),
    Case("unknown-option", "options", ["check", "--colour"], USAGE, "unrecognized arguments: --colour"),
    Case("unknown-command", "options", ["chekc"], USAGE, "argument COMMAND: invalid choice: 'chekc'"),
    Case(
        "state-dir-is-a-file-list",
        "options",
        ["undo", "--list"],
        USAGE,
        "/state.txt: not a directory (the state folder for fix journals)",
        write("state.txt", "x"),
        env={"TFENVCHECK_STATE_DIR": "{case}/state.txt"},
    ),
    Case(
        "state-dir-is-a-file-undo",
        "options",
        ["undo", RUN_ID],
        USAGE,
        "state.txt: not a directory (the state folder for fix journals)",
        write("state.txt", "x"),
        env={"TFENVCHECK_STATE_DIR": "{case}/state.txt"},
    ),
    Case(
        "state-dir-is-dev-null",
        "options",
        ["undo", "--list", "--json"],
        USAGE,
        "TFENVCHECK_STATE_DIR=/dev/null: not a directory",
        env={"TFENVCHECK_STATE_DIR": "/dev/null"},
    ),
    Case(
        "state-dir-is-a-file-report",
        "options",
        ["report", "--python", sys.executable, "--no-tensorflow"],
        USAGE,
        "state.txt: not a directory",
        write("state.txt", "x"),
        env={"TFENVCHECK_STATE_DIR": "{case}/state.txt"},
        stderr_lines=2,
    ),
    Case(
        "compare-one-file",
        "options",
        ["bench", "--compare", str(BENCH_FILE)],
        USAGE,
        "argument --compare: expected 2 arguments",
    ),
    Case("report-from-missing", "options", ["report", "--from", "nowhere.json"], USAGE, "nowhere.json: no such file"),
    Case(
        "fail-on-unknown",
        "options",
        ["check", "--fail-on", "error"],
        USAGE,
        "argument --fail-on: invalid choice: 'error'",
    ),
]

# -- terminals: NO_COLOR and TERM=dumb mean no escape sequence, on a real terminal ------------------


def no_escape(folder: Path, outcome: Outcome) -> None:
    assert outcome.stdout.strip(), "nothing was shown"
    assert "\x1b" not in outcome.stdout, repr(outcome.stdout[:400])


def terminal_case(name: str, args: list[str], exit_code: int, env: dict[str, str | None], setup=None) -> Case:
    return Case(
        name, "terminals", args, exit_code, "", setup, env=env, stderr_lines=None, terminal=True, check=no_escape
    )


NO_COLOR = {"NO_COLOR": "1", "TERM": "xterm-256color"}
DUMB = {"TERM": "dumb"}
TERMINAL_CASES = [
    terminal_case("no-color-profiles", ["profiles"], OK, NO_COLOR),
    terminal_case("no-color-fixes", ["fixes"], OK, NO_COLOR),
    terminal_case("no-color-compare", ["bench", "--compare", str(BENCH_FILE), str(BENCH_FILE)], OK, NO_COLOR),
    terminal_case("no-color-undo-list", ["undo", "--list"], OK, NO_COLOR, journal_file()),
    terminal_case(
        "no-color-error", ["check", "--python", MISSING_PYTHON, "--no-tensorflow"], COULD_NOT_CHECK, NO_COLOR
    ),
    terminal_case("dumb-profiles", ["profiles"], OK, DUMB),
    terminal_case("dumb-fixes", ["fixes"], OK, DUMB),
    terminal_case("dumb-compare", ["bench", "--compare", str(BENCH_FILE), str(BENCH_FILE)], OK, DUMB),
    terminal_case("dumb-undo-list", ["undo", "--list"], OK, DUMB, journal_file()),
    terminal_case("dumb-error", ["check", "--python", MISSING_PYTHON, "--no-tensorflow"], COULD_NOT_CHECK, DUMB),
]

# -- encodings: a character the output cannot show degrades, never crashes -------------------------

ASCII = {"PYTHONIOENCODING": "ascii"}
NON_ASCII = "exámen-環境"


def shown_escaped(folder: Path, outcome: Outcome) -> None:
    assert "ex\\xe1men" in outcome.stdout + outcome.stderr


def encoding_case(name: str, args: list[str], exit_code: int, message: str, setup=None, env=ASCII, **more) -> Case:
    return Case(name, "encodings", args, exit_code, message, setup, env=env, **more)


def other_stack() -> dict[str, Any]:
    """The saved bench result as if made with another TensorFlow: the comparison names both files."""
    return set_at(saved_bench(), "fingerprint.target.tensorflow", "2.5.0")


def non_ascii_target(folder: Path) -> None:
    journal_file(lambda record: set_at(record, "target.executable", str(folder / NON_ASCII / "bin" / "python")))(folder)


ENCODING_CASES = [
    encoding_case(
        "ascii-missing-python",
        ["check", "--python", "{case}/" + NON_ASCII + "/python"],
        COULD_NOT_CHECK,
        "python: no such file",
        stderr_lines=2,
        check=shown_escaped,
    ),
    encoding_case(
        "ascii-compare-paths",
        ["bench", "--compare", str(BENCH_FILE), NON_ASCII + ".json"],
        OK,
        "",
        document(NON_ASCII + ".json", other_stack),
        stderr_lines=0,
        check=shown_escaped,
    ),
    encoding_case("ascii-undo-list", ["undo", "--list"], OK, "", non_ascii_target, stderr_lines=0, check=shown_escaped),
    encoding_case(
        "ascii-profile-name",
        ["check", "--profile", "p.toml", "--python", MISSING_PYTHON],
        COULD_NOT_CHECK,
        "no-such-python: no such file",
        write("p.toml", 'name = "{}"\nrequires = []\n'.format(NON_ASCII)),
        stderr_lines=2,
        check=shown_escaped,
    ),
    encoding_case(
        "ascii-bad-profile-path",
        ["check", "--profile", NON_ASCII + ".toml"],
        USAGE,
        ".toml: no such profile file",
        check=shown_escaped,
    ),
    encoding_case(
        "ascii-report-markdown-stdout",
        ["report", "--from", NON_ASCII + ".json", "--markdown", "-"],
        FAILURES,
        "",
        document(NON_ASCII + ".json", lambda: set_at(saved_check(), "profile.title", NON_ASCII)),
        stderr_lines=None,
    ),
    encoding_case("ascii-strict-fixes", ["fixes"], OK, "", env={"PYTHONIOENCODING": "ascii:strict"}, stderr_lines=0),
    encoding_case(
        "latin1-compare",
        ["bench", "--compare", str(BENCH_FILE), NON_ASCII + ".json"],
        OK,
        "",
        lambda folder: (folder / (NON_ASCII + ".json")).write_text(BENCH_FILE.read_text()),
        env={"PYTHONIOENCODING": "latin-1"},
        stderr_lines=0,
    ),
    encoding_case(
        "c-locale-undo-list",
        ["undo", "--list"],
        OK,
        "",
        non_ascii_target,
        env={"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
        stderr_lines=0,
    ),
    encoding_case("ascii-json-stays-json", ["undo", "--list", "--json"], OK, "", non_ascii_target, stderr_lines=0),
]

ALL_CASES = (
    FILE_CASES + DOCUMENT_CASES + COMPUTED_FIGURE_CASES + JOURNAL_CASES + OPTION_CASES + TERMINAL_CASES + ENCODING_CASES
)


def test_the_corpus_is_large_and_every_case_named_once():
    names = Counter(case.id for case in ALL_CASES)
    assert [name for name, count in names.items() if count > 1] == []
    assert len(ALL_CASES) >= 100
    assert set(Counter(case.group for case in ALL_CASES)) == {
        "files",
        "documents",
        "journals",
        "options",
        "terminals",
        "encodings",
    }


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda case: "{}:{}".format(case.group, case.id))
def test_bad_input(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path / "case")


def test_the_terminal_check_sees_escapes_when_colour_is_allowed(tmp_path: Path) -> None:
    """The NO_COLOR and TERM=dumb cases prove something only if escapes show up here without them."""
    case = terminal_case("colour", ["profiles"], OK, {"TERM": "xterm-256color", "NO_COLOR": None})
    case.check = None
    outcome = run_case(case, tmp_path / "case")
    assert "\x1b[" in outcome.stdout


@pytest.mark.parametrize("schema_file", sorted((Path(__file__).parents[1] / "tfenvcheck" / "schemas").glob("*.json")))
def test_every_schema_is_a_valid_json_schema(schema_file: Path) -> None:
    import jsonschema

    schema = json.loads(schema_file.read_text())
    jsonschema.validators.validator_for(schema).check_schema(schema)
    assert schema["$id"].endswith("/" + schema_file.name)


def test_a_figure_that_cannot_be_computed_is_written_as_null() -> None:
    from tfenvcheck.documents import dumps

    text = dumps({"speedup": float("nan"), "rows": [float("inf"), -float("inf"), 1.5], "name": "x"})
    assert json.loads(text) == {"speedup": None, "rows": [None, None, 1.5], "name": "x"}
