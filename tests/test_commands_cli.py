"""The command layer: every subcommand is one module of the same shape, the JSON listings carry the
documents envelope, and the pipeline stages stay free of argparse and rich."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tfenvcheck import documents
from tfenvcheck.cli import build_parser
from tfenvcheck.commands import COMMANDS

PACKAGE = Path(__file__).parents[1] / "tfenvcheck"
STAGES = ("probes", "checks", "registry", "explain", "fixer", "bench", "createenv", "report", "pycharm", "rehearse")


def test_every_command_module_has_register_and_run_and_is_listed_in_order():
    names = [module.__name__.rsplit(".", 1)[1] for module in COMMANDS]
    assert names == [
        "probe",
        "pycharm",
        "check",
        "explain",
        "model",
        "run",
        "fixes",
        "profiles",
        "bench",
        "rehearse",
        "report",
        "fix",
        "undo",
        "create_env",
    ]
    for module in COMMANDS:
        assert callable(module.register) and callable(module.run), module.__name__
    parsed = build_parser().parse_args(["create-env", "--profile", "exam-2022-07"])
    assert parsed.handler is COMMANDS[-1].run


@pytest.mark.parametrize("command", ["probe", "pycharm", "check", "fixes", "profiles", "bench", "report", "fix"])
def test_profile_and_target_options_share_one_help_text(command, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    if "--profile NAME|FILE.toml" in text:
        assert "a shipped profile's name or a profile file (default: the newest official exam profile)" in text
    if "--python PATH" in text:
        assert "the interpreter to judge (a path, or a command on PATH)" in text


@pytest.mark.parametrize(
    "argv, kind, key",
    [(["fixes"], documents.BREAKAGES, "breakages"), (["profiles"], documents.PROFILES, "profiles")],
)
def test_listings_are_enveloped_documents(argv, kind, key):
    done = run_cli(*argv, "--json", timeout=60)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)  # nothing but JSON on stdout
    assert documents.check_envelope(Path("-"), document, (kind,)) == kind
    assert isinstance(document[key], list) and document[key]


def test_pycharm_json_is_an_enveloped_document(tmp_path):
    done = run_cli("pycharm", "--json", env={"HOME": str(tmp_path), "PATH": ""}, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert documents.check_envelope(Path("-"), document, (documents.PYCHARM,)) == documents.PYCHARM
    assert document["project"] is None and "config_dirs" in document


def test_the_pipeline_stages_import_neither_argparse_nor_rich():
    imports = re.compile(r"^\s*(from|import)\s+(argparse|rich)\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(PACKAGE))
        for stage in STAGES
        for path in sorted((PACKAGE / stage).rglob("*.py"))
        if imports.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
