"""Realistic PyCharm trees for each OS layout (home dir, config dirs, jdk.table.xml, projects), built
in tmp_path by the test_pycharm_* and create-env tests."""

from __future__ import annotations

import json
import plistlib
import zipfile
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


# -- installations and their plugins ------------------------------------------------------------------

# Product code -> (the `name` product-info.json gives, the config folder prefix, the launcher's base name).
_PRODUCT_FILES = {
    "PC": ("PyCharm", "PyCharmCE", "pycharm"),
    "PY": ("PyCharm", "PyCharm", "pycharm"),
    "DS": ("DataSpell", "DataSpell", "dataspell"),
    "IC": ("IntelliJ IDEA", "IdeaIC", "idea"),
    "IU": ("IntelliJ IDEA", "IntelliJIdea", "idea"),
    "GO": ("GoLand", "GoLand", "goland"),
}
_LAUNCH_OS = {"Linux": "Linux", "Darwin": "macOS", "Windows": "Windows"}


def product_info(code: str, version: str, build: str, system: str = "Linux") -> dict:
    """product-info.json as a JetBrains IDE of that release ships it (abridged: no module list)."""
    name, prefix, launcher = _PRODUCT_FILES[code]
    release = ".".join(version.split(".")[:2])
    if system == "Windows":
        launch = {
            "launcherPath": "bin/{}64.exe".format(launcher),
            "vmOptionsFilePath": "bin/{}64.exe.vmoptions".format(launcher),
        }
    elif system == "Darwin":
        launch = {
            "launcherPath": "../MacOS/{}".format(launcher),
            "vmOptionsFilePath": "../bin/{}.vmoptions".format(launcher),
        }
    else:
        launch = {
            "launcherPath": "bin/{}.sh".format(launcher),
            "vmOptionsFilePath": "bin/{}64.vmoptions".format(launcher),
        }
    return {
        "name": name,
        "version": version,
        "buildNumber": build,
        "productCode": code,
        "dataDirectoryName": prefix + release,
        "svgIconPath": "bin/{}.svg".format(launcher),
        "launch": [
            dict(
                os=_LAUNCH_OS[system],
                arch="amd64",
                javaExecutablePath="jbr/bin/java",
                startupWmClass="jetbrains-{}-ce".format(launcher),
                bootClassPathJarNames=["bootstrap.jar", "util.jar", "jdom.jar", "log4j.jar", "jna.jar"],
                additionalJvmArguments=["-Didea.vendor.name=JetBrains", "-Didea.paths.selector=" + prefix + release],
                **launch,
            )
        ],
        "bundledPlugins": [],
        "modules": [],
        "fileExtensions": ["*.py", "*.pyw", "*.pyi"],
    }


def write_installation(
    folder: Path,
    code: str = "PC",
    version: str = "2021.3.3",
    build: str = "213.7172.26",
    system: str = "Linux",
    with_product_info: bool = True,
) -> Path:
    """An installation folder (a .app bundle for macOS: `folder` should end in .app) with its
    product-info.json, build.txt, launcher and, on macOS, an Info.plist written with plistlib."""
    name, _, launcher = _PRODUCT_FILES[code]
    info_dir = folder / "Contents" / "Resources" if system == "Darwin" else folder
    info_dir.mkdir(parents=True, exist_ok=True)
    if with_product_info:
        (info_dir / "product-info.json").write_text(json.dumps(product_info(code, version, build, system), indent=2))
    (info_dir / "build.txt").write_text("{}-{}".format(code, build))
    if system == "Darwin":
        (folder / "Contents" / "MacOS").mkdir(parents=True, exist_ok=True)
        (folder / "Contents" / "MacOS" / launcher).write_text("#!/bin/sh\n")
        edition = " CE" if code in ("PC", "IC") else ""
        with open(folder / "Contents" / "Info.plist", "wb") as plist:
            plistlib.dump(
                {
                    "CFBundleName": name + edition,
                    "CFBundleIdentifier": "com.jetbrains.{}{}".format(launcher, ".ce" if edition else ""),
                    "CFBundleExecutable": launcher,
                    "CFBundlePackageType": "APPL",
                    "CFBundleShortVersionString": version,
                    "CFBundleVersion": "{}-{}".format(code, build),
                    "LSMinimumSystemVersion": "10.13",
                },
                plist,
            )
    else:
        (folder / "bin").mkdir(exist_ok=True)
        (folder / "bin" / ("{}64.exe".format(launcher) if system == "Windows" else launcher + ".sh")).write_text("")
    return folder


EXAM_PLUGIN = "Google Developers Certification"


def plugin_xml(plugin_id: str, name: str, version: str, vendor: str = "Google", doctype: str = "") -> str:
    """A plugin.xml shaped like a Marketplace plugin's."""
    return """<?xml version="1.0" encoding="UTF-8"?>{doctype}
<idea-plugin>
  <id>{id}</id>
  <name>{name}</name>
  <version>{version}</version>
  <vendor url="https://developers.google.com/certification">{vendor}</vendor>
  <description><![CDATA[Takes the TensorFlow Developer Certificate exam inside the IDE.]]></description>
  <idea-version since-build="201" until-build="213.*" />
  <depends>com.intellij.modules.platform</depends>
  <depends>com.intellij.modules.python</depends>
  <extensions defaultExtensionNs="com.intellij">
    <toolWindow id="Certification" anchor="right" factoryClass="com.example.exam.ToolWindowFactory" />
  </extensions>
</idea-plugin>
""".format(doctype=doctype, id=plugin_id, name=name, version=version, vendor=vendor)


def write_jar(jar: Path, members: dict[str, bytes | str]) -> Path:
    jar.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
        for member, data in members.items():
            archive.writestr(member, data)
    return jar


def install_plugin(
    plugins_dir: Path, folder: str, plugin_id: str, name: str, version: str, xml: str | bytes | None = None
) -> Path:
    """A plugin as the IDE unpacks it from the Marketplace: `<folder>/lib/<folder>.jar` holding its
    plugin.xml, beside a dependency jar without one."""
    lib = plugins_dir / folder / "lib"
    write_jar(lib / "grpc-core-1.45.1.jar", {"io/grpc/Status.class": b"\xca\xfe\xba\xbe"})
    write_jar(
        lib / "{}.jar".format(folder),
        {
            "META-INF/plugin.xml": xml if xml is not None else plugin_xml(plugin_id, name, version),
            "com/example/A.class": b"\xca\xfe",
        },
    )
    return plugins_dir / folder


def install_exam_plugin(plugins_dir: Path, version: str = "1.0.3") -> Path:
    # The plugin's real id is not published; tfenvcheck recognises the plugin by its name.
    return install_plugin(
        plugins_dir, "google-developers-certification", "com.google.developers.certification", EXAM_PLUGIN, version
    )


def plugins_dir_path(home: Path, system: str, layout: str, folder: str) -> Path:
    """Where PyCharm keeps the plugins a user installed for the config folder `folder`."""
    if layout == CURRENT_LAYOUT:
        if system == "Darwin":
            return home / "Library" / "Application Support" / "JetBrains" / folder / "plugins"
        if system == "Windows":
            return home / "AppData" / "Roaming" / "JetBrains" / folder / "plugins"
        return home / ".local" / "share" / "JetBrains" / folder
    if system == "Darwin":
        return home / "Library" / "Application Support" / folder
    return home / ("." + folder) / "config" / "plugins"


def pycharm_home_with(
    home: Path, version: str = "2021.3.3", build: str = "213.7172.26", exam_plugin: bool = True, code: str = "PC"
) -> Path:
    """A Linux home holding one PyCharm in JetBrains Toolbox (newer layout), started once (its
    config folder exists), with the exam plugin installed or not. Returns the installation folder."""
    app = {"PC": "pycharm-community", "PY": "pycharm-professional"}[code]
    installation = write_installation(
        home / ".local" / "share" / "JetBrains" / "Toolbox" / "apps" / app, code, version, build
    )
    folder = _PRODUCT_FILES[code][1] + ".".join(version.split(".")[:2])
    layout = CURRENT_LAYOUT if tuple(int(p) for p in version.split(".")[:2]) >= (2020, 1) else LEGACY_LAYOUT
    make_config_dir(home, "Linux", layout, folder)
    if exam_plugin:
        install_exam_plugin(plugins_dir_path(home, "Linux", layout, folder))
    return installation
