"""Which interpreter a PyCharm project runs in, resolved the way PyCharm does.

The module's `.iml` names an SDK (`<orderEntry type="jdk" jdkName=...>`) or inherits the project's
(`<orderEntry type="inheritedJdk"/>` -> `.idea/misc.xml` ProjectRootManager `project-jdk-name`);
that name is looked up in the config dirs' SDK tables (newest first) and its `homePath` is the
interpreter. A name with no entry is what PyCharm shows as "Invalid interpreter".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfenvcheck.pycharm.config_dirs import ConfigDir
from tfenvcheck.pycharm.issues import BLOCKING, NO_PROJECT_SDK, SDK_NOT_FOUND, issue
from tfenvcheck.pycharm.sdk_problems import sdk_problems
from tfenvcheck.pycharm.sdk_table import PythonSdk, SdkTable
from tfenvcheck.pycharm.xml_files import PyCharmFileError, parse_xml_file

FROM_MODULE = "module"
FROM_PROJECT = "project"


@dataclass
class ProjectInterpreter:
    """The outcome of resolving one project's interpreter; `interpreter` is None when unusable."""

    project_dir: Path
    module_file: Path | None = None
    sdk_name: str | None = None
    sdk_name_from: str | None = None
    sdk: PythonSdk | None = None
    config_dir: ConfigDir | None = None
    issues: list[dict[str, Any]] = field(default_factory=list)

    @property
    def interpreter(self) -> str | None:
        if self.sdk is None or any(i["id"] in BLOCKING for i in self.issues):
            return None
        return self.sdk.home_path

    @property
    def reason(self) -> str:
        return "PyCharm project {}: SDK '{}'".format(self.project_dir, self.sdk_name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "project_dir": str(self.project_dir),
            "module_file": str(self.module_file) if self.module_file else None,
            "sdk_name": self.sdk_name,
            "sdk_name_from": self.sdk_name_from,
            "config_dir": str(self.config_dir.path) if self.config_dir else None,
            "sdk": self.sdk.to_dict() if self.sdk else None,
            "interpreter": self.interpreter,
            "issues": self.issues,
        }


def is_pycharm_project(directory: Path) -> bool:
    return (directory / ".idea").is_dir()


def module_files(project_dir: Path) -> list[Path]:
    """The project's module files: as `.idea/modules.xml` lists them, else any `.iml` in `.idea`."""
    modules_xml = project_dir / ".idea" / "modules.xml"
    listed = []
    if modules_xml.is_file():
        for module in parse_xml_file(modules_xml).iter("module"):
            filepath = module.get("filepath", "").replace("$PROJECT_DIR$", str(project_dir))
            if filepath and Path(filepath).is_file():
                listed.append(Path(filepath))
    return listed or sorted((project_dir / ".idea").glob("*.iml")) or sorted(project_dir.glob("*.iml"))


def module_sdk_name(module_file: Path) -> tuple[str | None, bool]:
    """(the module's own SDK name, whether it inherits the project's)."""
    for entry in parse_xml_file(module_file).iter("orderEntry"):
        if entry.get("type") == "jdk":
            return entry.get("jdkName"), False
        if entry.get("type") == "inheritedJdk":
            return None, True
    return None, True  # no SDK entry at all: fall back to the project's, as PyCharm shows it


def project_sdk_name(project_dir: Path) -> str | None:
    misc = project_dir / ".idea" / "misc.xml"
    if not misc.is_file():
        return None
    for component in parse_xml_file(misc).iter("component"):
        if component.get("name") == "ProjectRootManager":
            return component.get("project-jdk-name") or None
    return None


def find_sdk(name: str, tables: Sequence[SdkTable]) -> tuple[PythonSdk | None, SdkTable | None, list[dict[str, Any]]]:
    """The first table (newest first) with an SDK of that name; else the problems of unreadable tables."""
    unreadable = []
    for table in tables:
        if table.problem:
            unreadable.append(table.problem)
            continue
        sdk = table.find(name)
        if sdk is not None:
            return sdk, table, []
    return None, None, unreadable


def resolve_project_interpreter(project_dir: Path, tables: Sequence[SdkTable], system: str) -> ProjectInterpreter:
    """Resolve `project_dir`'s interpreter against `tables`; problems become issues, never exceptions."""
    result = ProjectInterpreter(project_dir.absolute())
    try:
        modules = module_files(result.project_dir)
        result.module_file = modules[0] if modules else None
        name, inherits = module_sdk_name(result.module_file) if result.module_file else (None, True)
        if inherits:
            result.sdk_name, result.sdk_name_from = project_sdk_name(result.project_dir), FROM_PROJECT
        else:
            result.sdk_name, result.sdk_name_from = name, FROM_MODULE
    except PyCharmFileError as error:
        result.issues.append(error.issue)
        return result
    if not result.sdk_name:
        result.issues.append(
            issue(
                NO_PROJECT_SDK,
                "project {} has no Python interpreter configured".format(result.project_dir),
                path=str(result.project_dir),
            )
        )
        return result
    result.sdk, table, unreadable = find_sdk(result.sdk_name, tables)
    if result.sdk is None or table is None:
        result.issues.extend(unreadable)
        where = ", ".join(str(t.config_dir.sdk_table) for t in tables) or "no PyCharm configuration found"
        result.issues.append(
            issue(
                SDK_NOT_FOUND,
                "project {} uses SDK '{}', which no PyCharm configuration lists (PyCharm shows "
                '"Invalid interpreter"); looked in: {}'.format(result.project_dir, result.sdk_name, where),
                sdk_name=result.sdk_name,
                path=str(result.project_dir),
            )
        )
        return result
    result.config_dir = table.config_dir
    result.issues.extend(sdk_problems(result.sdk, system))
    return result
