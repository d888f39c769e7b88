"""One known breakage: what the user sees, when it applies, how to confirm it, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from packaging.specifiers import SpecifierSet

# The fix action kinds (tfenvcheck/fixer carries them out): install exact specifiers with the
# target's pip, edit a module file of the target with a guarded exact replacement, set an
# environment variable for every run of the target, load shared libraries of the target by path at
# every start of it (before anything asks for them by name), or only tell the user what to do.
ACTION_KINDS = ("pin", "patch", "env", "preload", "advise")
# A pin may name the target's TensorFlow minor version ("tf-keras~={tensorflow_minor}.0").
PIN_PLACEHOLDERS = ("tensorflow_minor",)
# How a match is reported: as likely from the facts alone, or only once --confirm reproduced it.
# likely: check reports it when its conditions hold; when-confirmed: only once its snippet reproduced
# it; explain-only: a failure of a file, not of the environment (a model saved by another Keras), so
# check never reports it and only explain (and model) name it from the error text.
REPORT_MODES = ("likely", "when-confirmed", "explain-only")


@dataclass(frozen=True)
class FileCondition:
    """The file of `module` in the target (stdlib or site-packages) contains `contains`."""

    module: str
    contains: str


@dataclass(frozen=True)
class Conditions:
    """All given conditions must hold for a breakage to apply; an empty set never applies."""

    tensorflow: SpecifierSet | None = None  # the TensorFlow version, whichever distribution holds it
    packages: dict[str, SpecifierSet] = field(default_factory=dict)  # installed, in this range
    missing: tuple[str, ...] = ()  # at least one of these distributions is not installed
    python: SpecifierSet | None = None
    sys_platform: tuple[str, ...] = ()
    machine: tuple[str, ...] = ()
    origin: tuple[str, ...] = ()
    bits: int | None = None
    file: FileCondition | None = None
    cpu_flags_missing: tuple[str, ...] = ()
    env_unset: tuple[str, ...] = ()
    several_installed: tuple[str, ...] = ()  # two or more of these distributions at once
    driver_gpu_unseen_by_tensorflow: bool = False
    ssl_cafile_missing: bool = False
    rosetta: bool = False  # an x86_64 process translated on an Apple Silicon Mac
    msvc_runtime_missing: bool = False
    tensorflow_sees_gpu: bool = False  # TensorFlow lists at least one GPU
    # A GPU the driver reports has a compute capability without kernels (sm_XX) in TensorFlow's build.
    gpu_capability_not_built: bool = False
    # An installed distribution older than a value of tf.sysconfig.get_build_info(), compared on the
    # build's precision ("nvidia-cudnn-cu12" 8.9.7 against cudnn_version "9"): name -> build key.
    older_than_build: dict[str, str] = field(default_factory=dict)
    # Installed distributions whose major.minor is not TensorFlow's (tensorflow-text must match it).
    minor_not_tensorflows: tuple[str, ...] = ()
    # A library of the nvidia-* wheels (site-packages/nvidia/*/lib) that the target has neither
    # loaded at start-up nor on LD_LIBRARY_PATH: TensorFlow's dlopen by name may not find it.
    nvidia_libraries_off_loader_path: bool = False

    def is_empty(self) -> bool:
        return self == Conditions()


@dataclass(frozen=True)
class Confirmation:
    """A snippet the target runs; the breakage is confirmed when its error contains `expect`."""

    snippet: str
    expect: str
    timeout: float = 120.0
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Action:
    kind: str
    requirements: tuple[str, ...] = ()  # pin
    module: str | None = None  # patch
    find: str | None = None  # patch: the known-bad text
    replace: str | None = None  # patch: the known-good text
    name: str | None = None  # env
    value: str | None = None  # env
    libraries: tuple[str, ...] = ()  # preload: glob patterns relative to site-packages
    text: str | None = None  # advise, and a one-line description of any action
    # pin: install without dependencies (tf-keras needs "tensorflow", which would add a second
    # TensorFlow beside tensorflow-cpu or tensorflow-macos).
    no_deps: bool = False

    def describe(self) -> str:
        if self.kind == "pin":
            return (
                "pip install "
                + ("--no-deps " if self.no_deps else "")
                + " ".join('"{}"'.format(r) for r in self.requirements)
            )
        if self.kind == "patch":
            return "patch {}: {!r} -> {!r}".format(self.module, self.find, self.replace)
        if self.kind == "env":
            return "set {}={} for the target".format(self.name, self.value)
        if self.kind == "preload":
            return "load {} (in site-packages) by path at every start of the target".format(", ".join(self.libraries))
        return self.text or ""


@dataclass(frozen=True)
class Breakage:
    id: str
    title: str
    symptom: str
    sources: tuple[str, ...]
    severity: str  # "fail" or "warn": how a match is reported
    when: Conditions
    fix: tuple[Action, ...]
    confirm: Confirmation | None = None
    report: str = "likely"
    path: str | None = None
    # How its error looks in text (`explain`, an import error in `check`): regular expressions searched
    # line by line; and those whose presence anywhere in the text makes this entry the likelier one.
    patterns: tuple[str, ...] = ()
    context: tuple[str, ...] = ()

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "symptom": self.symptom,
            "severity": self.severity,
            "sources": list(self.sources),
            "confirmable": self.confirm is not None,
            "fix": [{"kind": a.kind, "description": a.describe()} for a in self.fix],
            "path": self.path,
        }
