"""Bad and hostile PyCharm files: malformed, empty, binary, billion laughs, external entities.

Each gives a clear issue (or a one-line error from the CLI); nothing outside the file is read and
no traceback is printed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.helpers.pycharm_trees import EXAM_SDK, environ_for, make_config_dir, realistic_entries, write_project
from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT
from tfenvcheck.pycharm.lookup import project_interpreter
from tfenvcheck.pycharm.xml_files import PyCharmFileError, parse_xml_file

SECRET = "TOP-SECRET-7f3a9c"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE application [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<application><component name="ProjectJdkTable"><jdk version="2"><name value="&lol9;" />
<type value="Python SDK" /><homePath value="/usr/bin/python3" /></jdk></component></application>
"""


def external_entity(secret_file: Path) -> str:
    """An SDK whose name would be the secret file's content, were the entity followed."""
    return """<?xml version="1.0"?>
<!DOCTYPE application [<!ENTITY xxe SYSTEM "file://{}">]>
<application><component name="ProjectJdkTable"><jdk version="2"><name value="x" />
<type value="Python SDK" /><homePath value="/usr/bin/python3" /><version value="&xxe;" /></jdk>
</component></application>
""".format(secret_file)


def external_dtd(secret_file: Path) -> str:
    return '<?xml version="1.0"?>\n<!DOCTYPE project SYSTEM "file://{}">\n<project version="4" />\n'.format(secret_file)


def parameter_entity(secret_file: Path) -> str:
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY % leak SYSTEM "file://{}"> %leak;]>\n'
        '<project version="4" />\n'.format(secret_file)
    )


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n")
    return path


BAD_CONTENTS = {
    "malformed": ("pycharm-file-unreadable", "not valid XML", b"<application><component name='x'></application>"),
    "truncated": ("pycharm-file-unreadable", "not valid XML", b'<application>\n  <component name="ProjectJdkTable">\n'),
    "empty": ("pycharm-file-unreadable", "is empty", b""),
    "blank": ("pycharm-file-unreadable", "is empty", b"  \n\n"),
    "binary": ("pycharm-file-unreadable", "binary data", bytes(range(256)) * 4),
    "unknown-encoding": (
        "pycharm-file-unreadable",
        "cannot be decoded",
        b'<?xml version="1.0" encoding="no-such-codec"?><a/>',
    ),
    "wrong-encoding": (
        "pycharm-file-unreadable",
        "not valid XML",
        b'<?xml version="1.0" encoding="cp1252"?><a x="\x81\x8d"/>',
    ),
    "undecodable": ("pycharm-file-unreadable", "not valid XML", b'<?xml version="1.0"?><a x="\xff\xfe\xc3"/>'),
    "billion-laughs": ("pycharm-file-unsafe", "<!DOCTYPE>", BILLION_LAUGHS.encode()),
}


@pytest.mark.parametrize("kind", sorted(BAD_CONTENTS))
def test_bad_files_give_a_clear_issue(tmp_path: Path, kind: str) -> None:
    issue_id, words, content = BAD_CONTENTS[kind]
    path = tmp_path / "jdk.table.xml"
    path.write_bytes(content)
    with pytest.raises(PyCharmFileError) as raised:
        parse_xml_file(path)
    assert raised.value.issue["id"] == issue_id
    assert words in raised.value.issue["message"]
    assert raised.value.issue["path"] == str(path)
    assert "\n" not in raised.value.issue["message"]


@pytest.mark.parametrize("make", [external_entity, external_dtd, parameter_entity])
def test_external_references_are_refused_and_never_read(tmp_path: Path, secret_file: Path, make) -> None:
    path = tmp_path / "misc.xml"
    path.write_text(make(secret_file))
    with pytest.raises(PyCharmFileError) as raised:
        parse_xml_file(path)
    assert raised.value.issue["id"] == "pycharm-file-unsafe"
    assert SECRET not in json.dumps(raised.value.issue)


def test_utf16_file_with_bom_is_not_mistaken_for_binary(tmp_path: Path) -> None:
    path = tmp_path / "misc.xml"
    path.write_bytes('<?xml version="1.0" encoding="UTF-16"?><project version="4" />'.encode("utf-16"))
    assert parse_xml_file(path).get("version") == "4"


@pytest.mark.parametrize("which", ["misc.xml", "tfexam.iml", "modules.xml"])
def test_bad_project_file_becomes_a_blocking_issue(tmp_path: Path, which: str) -> None:
    project = write_project(tmp_path / "proj", EXAM_SDK)
    (project / ".idea" / which).write_bytes(BILLION_LAUGHS.encode())
    resolution = project_interpreter(project, environ=environ_for(tmp_path / "home", "Linux"), system="Linux")
    assert [i["id"] for i in resolution.issues] == ["pycharm-file-unsafe"]
    assert resolution.issues[0]["path"] == str(project / ".idea" / which)
    assert resolution.interpreter is None


def test_bad_sdk_table_explains_the_invalid_interpreter(tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2")
    (config / "options" / "jdk.table.xml").write_bytes(b"\x00\x01garbage")
    project = write_project(tmp_path / "proj", EXAM_SDK)
    resolution = project_interpreter(project, environ=environ_for(home, "Linux"), system="Linux")
    assert [i["id"] for i in resolution.issues] == ["pycharm-file-unreadable", "pycharm-sdk-not-found"]


# --- through the real CLI ---------------------------------------------------------------------


def cli_env(home: Path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CONDA_PREFIX", "XDG_CONFIG_HOME")}
    env.update(HOME=str(home), NO_COLOR="1", COLUMNS="200")
    return env


def hostile_tree(tmp_path: Path, secret_file: Path) -> tuple[Path, Path, Path]:
    """A home whose newest jdk.table.xml has an external entity, an older one a billion laughs,
    and a project whose misc.xml has an external DTD."""
    home = tmp_path / "home"
    newest = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2")
    (newest / "options" / "jdk.table.xml").write_text(external_entity(secret_file))
    older = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2022.3")
    (older / "options" / "jdk.table.xml").write_text(BILLION_LAUGHS)
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2021.1", realistic_entries())
    project = write_project(tmp_path / "proj", EXAM_SDK)
    (project / ".idea" / "misc.xml").write_text(external_dtd(secret_file))
    return home, newest, project


@pytest.mark.parametrize("json_output", [False, True])
def test_pycharm_command_reports_hostile_files_without_reading_outside(
    tmp_path: Path,
    secret_file: Path,
    json_output: bool,
) -> None:
    home, newest, project = hostile_tree(tmp_path, secret_file)
    done = run_cli("pycharm", *(["--json"] if json_output else []), "-v", env=cli_env(home), cwd=project, timeout=60)
    assert done.returncode == 0, done.stderr
    assert SECRET not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr and done.stderr == ""
    if json_output:
        overview = json.loads(done.stdout)
        problems = [record["problem"] and record["problem"]["id"] for record in overview["config_dirs"]]
        assert problems == ["pycharm-file-unsafe", "pycharm-file-unsafe", None]
        assert [i["id"] for i in overview["project"]["issues"]] == ["pycharm-file-unsafe"]
    else:
        assert "{} was refused".format(newest / "options" / "jdk.table.xml") in done.stdout
        assert "misc.xml was refused" in done.stdout


def test_probe_of_hostile_project_is_a_one_line_error(tmp_path: Path, secret_file: Path) -> None:
    home, _, project = hostile_tree(tmp_path, secret_file)
    done = run_cli("probe", "--no-tensorflow", "--pycharm-project", str(project), env=cli_env(home), timeout=60)
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("tfenvcheck: error: PyCharm project")
    assert "misc.xml was refused" in done.stderr
    assert SECRET not in done.stderr


def test_given_config_with_bad_table_is_a_one_line_error_for_probe(tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2")
    (config / "options" / "jdk.table.xml").write_text("")
    project = write_project(tmp_path / "proj", EXAM_SDK)
    done = run_cli(
        "probe",
        "--no-tensorflow",
        "--pycharm-project",
        str(project),
        "--pycharm-config",
        str(config),
        env=cli_env(home),
        timeout=60,
    )
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1
    assert "jdk.table.xml is empty" in done.stderr and "Invalid interpreter" in done.stderr
