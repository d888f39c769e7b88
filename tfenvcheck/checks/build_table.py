"""The TensorFlow build table (`tensorflow_builds.toml`): CUDA/cuDNN, Python range and CPU flags per release."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tfenvcheck import tomlfile

TABLE_PATH = Path(__file__).parent / "tensorflow_builds.toml"


@dataclass(frozen=True)
class Build:
    tensorflow: SpecifierSet
    python: SpecifierSet
    cuda: str
    cudnn: str


@dataclass(frozen=True)
class CpuFlagRule:
    tensorflow: SpecifierSet
    flag: str


@dataclass(frozen=True)
class BuildTable:
    builds: tuple[Build, ...]
    cpu_flags: tuple[CpuFlagRule, ...]
    windows_last_gpu_release: Version

    def build_for(self, tensorflow: Version) -> Build | None:
        release = Version(tensorflow.base_version)  # 2.5.0rc1 and 2.5.0.dev are built like 2.5.0
        for build in self.builds:
            if build.tensorflow.contains(release):
                return build
        return None

    def newest_build_in(self, tensorflow: SpecifierSet) -> tuple[Version, Build] | None:
        """The newest release `tensorflow` allows that the table knows, with its build: the one an
        installer would pick. Each row stands for its first release; an exact pin stands for itself."""
        exact = [spec.version for spec in tensorflow if spec.operator in ("==", "===") and "*" not in spec.version]
        releases = [Version(version) for version in exact]
        releases += [
            Version(spec.version) for build in self.builds for spec in build.tensorflow if spec.operator == ">="
        ]
        allowed = [release for release in releases if tensorflow.contains(release, prereleases=True)]
        for release in sorted(allowed, reverse=True):
            build = self.build_for(release)
            if build is not None:
                return release, build
        return None

    def cpu_flags_needed(self, tensorflow: Version) -> list[str]:
        release = Version(tensorflow.base_version)
        return [rule.flag for rule in self.cpu_flags if rule.tensorflow.contains(release)]


@lru_cache(maxsize=1)
def build_table() -> BuildTable:
    data = tomlfile.loads(TABLE_PATH.read_text(encoding="utf-8"))
    return BuildTable(
        builds=tuple(
            Build(SpecifierSet(b["tensorflow"]), SpecifierSet(b["python"]), b["cuda"], b["cudnn"])
            for b in data["build"]
        ),
        cpu_flags=tuple(CpuFlagRule(SpecifierSet(r["tensorflow"]), r["flag"]) for r in data["cpu_flag"]),
        windows_last_gpu_release=Version(data["windows"]["last_gpu_release"]),
    )
