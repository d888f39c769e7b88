"""Realistic PyCharm trees for each OS layout (home dir, config dirs, jdk.table.xml, projects), built
in tmp_path by the test_pycharm_* and create-env tests."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT, LEGACY_LAYOUT

EXAM_SDK = "Python 3.8 (tfexam)"
CONDA_SDK = "Python 3.9 (tf-conda)"
SSH_SDK = "Remote Python 3.8.10 (sftp://exam@gpu-box:22/home/exam/venv/bin/python)"
DOCKER_SDK = "Remote Python Docker (tensorflow/tensorflow:2.5.0)"
GONE_SDK = "Python 3.7 (old-exam)"
JAVA_SDK = "corretto-17"

_ROOTS = """
      <roots>
        <annotationsPath><root type="composite" /></annotationsPath>
        <classPath><root type="composite" /></classPath>
        <javadocPath><root type="composite" /></javadocPath>
        <sourcePath><root type="composite" /></sourcePath>
      </roots>"""


def jdk_entry(
    name: str,
    home_path: str,
    flavor_id: str | None = None,
    sdk_type: str = "Python SDK",
    version: str = "Python 3.8.18",
    attributes: dict[str, str] | None = None,
    flavor_data: str | None = None,
) -> str:
    """One <jdk> element as PyCharm writes it."""
    attrs = "".join(" {}={}".format(k, quoteattr(v)) for k, v in (attributes or {}).items())
    settings = ""
    if flavor_id:
        settings += '\n        <setting name="FLAVOR_ID" value="{}" />'.format(flavor_id)
    if flavor_data is not None:
        settings += '\n        <setting name="FLAVOR_DATA" value={} />'.format(quoteattr(flavor_data))
    return """
    <jdk version="2">
      <name value={name} />
      <type value={sdk_type} />
      <version value={version} />
      <homePath value={home} />{roots}
      <additional{attrs}>{settings}
      </additional>
    </jdk>""".format(
        name=quoteattr(name),
        sdk_type=quoteattr(sdk_type),
        version=quoteattr(version),
        home=quoteattr(home_path),
        roots=_ROOTS,
        attrs=attrs,
        settings=settings,
    )


def realistic_entries(exam_home: str = "$USER_HOME$/PycharmProjects/tfexam/venv/bin/python") -> list[str]:
    """The exam venv, a conda env, an SSH and a Docker interpreter, a deleted venv and a Java JDK."""
    return [
        jdk_entry(
            EXAM_SDK,
            exam_home,
            "VirtualEnvSdkFlavor",
            attributes={"ASSOCIATED_PROJECT_PATH": "$USER_HOME$/PycharmProjects/tfexam"},
        ),
        jdk_entry(
            CONDA_SDK,
            "$USER_HOME$/miniconda3/envs/tf/bin/python",
            "CondaEnvSdkFlavor",
            version="Python 3.9.18",
            flavor_data='{"env":"tf"}',
        ),
        jdk_entry(
            SSH_SDK,
            "sftp://exam@gpu-box:22/home/exam/venv/bin/python",
            "UnixPythonSdkFlavor",
            version="Python 3.8.10",
            attributes={
                "INTERPRETER_PATH": "/home/exam/venv/bin/python",
                "HOST": "gpu-box",
                "PORT": "22",
                "USERNAME": "exam",
                "HELPERS_PATH": "/home/exam/.pycharm_helpers",
            },
        ),
        jdk_entry(
            DOCKER_SDK,
            "docker://tensorflow/tensorflow:2.5.0/python",
            version="Python 3.6.9",
            attributes={"INTERPRETER_PATH": "python"},
        ),
        jdk_entry(
            GONE_SDK,
            "$USER_HOME$/PycharmProjects/old-exam/venv/bin/python",
            "VirtualEnvSdkFlavor",
            version="Python 3.7.16",
        ),
        jdk_entry(JAVA_SDK, "$USER_HOME$/.jdks/corretto-17", sdk_type="JavaSDK", version="17"),
    ]


def write_jdk_table(config_dir: Path, entries: list[str]) -> Path:
    table = config_dir / "options" / "jdk.table.xml"
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_text(
        '<application>\n  <component name="ProjectJdkTable">{}\n  </component>\n</application>\n'.format(
            "".join(entries)
        )
    )
    return table


def environ_for(home: Path, system: str) -> dict[str, str]:
    if system == "Windows":
        return {"USERPROFILE": str(home), "APPDATA": str(home / "AppData" / "Roaming")}
    return {"HOME": str(home)}


def config_dir_path(home: Path, system: str, layout: str, folder: str) -> Path:
    """Where PyCharm keeps `folder` (e.g. 'PyCharm2023.2') on `system` in `layout`."""
    if system == "Darwin":
        parent = home / "Library" / ("Application Support/JetBrains" if layout == CURRENT_LAYOUT else "Preferences")
        return parent / folder
    if layout == LEGACY_LAYOUT:
        return home / ("." + folder) / "config"
    if system == "Windows":
        return home / "AppData" / "Roaming" / "JetBrains" / folder
    return home / ".config" / "JetBrains" / folder


def make_config_dir(home: Path, system: str, layout: str, folder: str, entries: list[str] | None = None) -> Path:
    path = config_dir_path(home, system, layout, folder)
    path.mkdir(parents=True, exist_ok=True)
    (path / "options").mkdir(exist_ok=True)
    (path / "options" / "other.xml").write_text("<application />\n")
    if entries is not None:
        write_jdk_table(path, entries)
    return path


def write_project(
    project_dir: Path,
    project_sdk: str | None,
    module_sdk: str | None = None,
    module_name: str = "tfexam",
    modules_xml: bool = True,
) -> Path:
    """A PyCharm project: .idea/misc.xml naming the project SDK, a module .iml that inherits it
    (or names `module_sdk`), and .idea/modules.xml listing the module."""
    idea = project_dir / ".idea"
    idea.mkdir(parents=True, exist_ok=True)
    jdk_attrs = (
        ' project-jdk-name={} project-jdk-type="Python SDK"'.format(quoteattr(project_sdk)) if project_sdk else ""
    )
    (idea / "misc.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<project version="4">\n'
        '  <component name="Black"><option name="sdkName" value="whatever" /></component>\n'
        '  <component name="ProjectRootManager" version="2"{} />\n</project>\n'.format(jdk_attrs)
    )
    order_entry = (
        '<orderEntry type="jdk" jdkName={} jdkType="Python SDK" />'.format(quoteattr(module_sdk))
        if module_sdk
        else '<orderEntry type="inheritedJdk" />'
    )
    iml = idea / "{}.iml".format(module_name)
    iml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<module type="PYTHON_MODULE" version="4">\n'
        '  <component name="NewModuleRootManager">\n'
        '    <content url="file://$MODULE_DIR$"><excludeFolder url="file://$MODULE_DIR$/venv" /></content>\n'
        '    {}\n    <orderEntry type="sourceFolder" forTests="false" />\n'
        "  </component>\n</module>\n".format(order_entry)
    )
    if modules_xml:
        (idea / "modules.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<project version="4">\n  <component name="ProjectModuleManager">\n'
            '    <modules>\n      <module fileurl="file://$PROJECT_DIR$/.idea/{0}.iml" '
            'filepath="$PROJECT_DIR$/.idea/{0}.iml" />\n    </modules>\n  </component>\n</project>\n'.format(
                module_name
            )
        )
    return project_dir


# Every OS and folder layout PyCharm has used for its config dirs.
LAYOUTS = [
    ("Linux", CURRENT_LAYOUT),
    ("Linux", LEGACY_LAYOUT),
    ("Darwin", CURRENT_LAYOUT),
    ("Darwin", LEGACY_LAYOUT),
    ("Windows", CURRENT_LAYOUT),
    ("Windows", LEGACY_LAYOUT),
]
