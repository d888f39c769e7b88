"""The shape of the facts record, defined once, in the spirit of virtualenv's `PythonInfo`.

The payloads answer plain JSON; what they answer is parsed here into dataclasses (`parse`), and a
record turns into JSON (`to_dict`) and back (`Facts.from_dict`), so a saved check result is read
with the same types as a live one. Records a consumer never looks into (a GPU's device details,
TensorFlow's build info, the tiny ops) stay plain JSON objects.

No `from __future__ import annotations` here: dacite reads these annotations at run time, and
`X | None` does not evaluate on Python 3.9.
"""

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Optional, TypeVar

import dacite

from tfenvcheck.documents import FACTS, envelope

Record = TypeVar("Record")
JSONObject = dict[str, Any]

_CONFIG = dacite.Config(cast=[float])


class MalformedFacts(ValueError):
    """An answer (from a payload or a saved file) that does not have the record's shape."""


def parse(record_type: type[Record], data: Any, what: str) -> Record:
    """`data` as a `record_type`, or MalformedFacts saying in one line what is wrong with it."""
    if not isinstance(data, dict):
        raise MalformedFacts("{}: expected a JSON object, got {}".format(what, type(data).__name__))
    try:
        return dacite.from_dict(record_type, data, config=_CONFIG)
    except (dacite.DaciteError, ValueError, TypeError) as error:
        raise MalformedFacts("{}: {}".format(what, str(error).split(" - ")[0])) from None


def to_dict(record: Any) -> JSONObject:
    return dataclasses.asdict(record)


# -- the target interpreter (interpreter_payload.py) ------------------------------------------------


@dataclass
class Distribution:
    version: str
    location: str


@dataclass
class ShadowedDistribution:
    name: str
    version: str
    location: str


@dataclass
class SitePaths:
    stdlib: Optional[str] = None
    purelib: Optional[str] = None
    platlib: Optional[str] = None
    site_packages: list[str] = field(default_factory=list)
    user_site: Optional[str] = None
    user_site_enabled: Optional[bool] = None


@dataclass
class SSLFacts:
    available: bool = False
    error: Optional[str] = None
    openssl_version: Optional[str] = None
    cafile: Optional[str] = None
    capath: Optional[str] = None
    openssl_cafile: Optional[str] = None
    openssl_cafile_exists: bool = False
    openssl_capath: Optional[str] = None


@dataclass
class EnvironmentFacts:
    variables: dict[str, str] = field(default_factory=dict)  # the TensorFlow and CUDA variables that are set
    cuda_path_entries: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class InterpreterFacts:
    executable: str
    real_executable: str
    version: str  # "3.7.16"
    version_info: list[Any]
    sys_version: str
    implementation: str
    bits: int
    sys_platform: str
    machine: str
    system: str
    prefix: str
    base_prefix: str
    real_prefix: Optional[str] = None
    conda_meta: bool = False
    base_conda_meta: bool = False
    paths: SitePaths = field(default_factory=SitePaths)
    linecache_file: Optional[str] = None
    msvc_runtime: Optional[bool] = None  # None off Windows
    ssl: SSLFacts = field(default_factory=SSLFacts)
    environment: EnvironmentFacts = field(default_factory=EnvironmentFacts)
    distributions: dict[str, Distribution] = field(default_factory=dict)  # normalised name -> first on sys.path
    shadowed_distributions: list[ShadowedDistribution] = field(default_factory=list)
    supported: bool = True
    # Worked out by tfenvcheck from the above (probes/interpreter.py).
    is_venv: bool = False
    origin: str = "unknown"
    probe_seconds: Optional[float] = None

    @property
    def major_minor(self) -> str:
        return ".".join(self.version.split(".")[:2])


# -- TensorFlow in the target (tensorflow_payload.py) -----------------------------------------------


@dataclass
class ErrorFacts:
    """An exception in the target, or how its process failed ("signal", "timeout", "exit"...)."""

    type: str
    first_line: str = ""
    last_line: str = ""
    message: str = ""
    last_frame: Optional[str] = None
    stderr_tail: list[str] = field(default_factory=list)


@dataclass
class KerasFacts:
    backing: Optional[str] = None  # "tensorflow.python.keras", "keras", "tf_keras"
    version: Optional[str] = None
    error: Optional[ErrorFacts] = None


@dataclass
class TensorFlowFacts:
    probed: bool = False
    importable: Optional[bool] = None
    version: Optional[str] = None
    error: Optional[ErrorFacts] = None
    gpus: list[JSONObject] = field(default_factory=list)  # {"name", "type", "model", "compute_capability"}
    import_seconds: Optional[float] = None
    file: Optional[str] = None
    git_version: Optional[str] = None
    built_with_cuda: Optional[bool] = None
    built_with_cuda_error: Optional[ErrorFacts] = None
    build_info: Optional[JSONObject] = None
    build_info_error: Optional[ErrorFacts] = None
    keras: Optional[KerasFacts] = None
    devices: list[JSONObject] = field(default_factory=list)
    devices_error: Optional[ErrorFacts] = None
    tiny_ops: list[JSONObject] = field(default_factory=list)
    logical_devices_error: Optional[ErrorFacts] = None
    total_seconds: Optional[float] = None
    log_lines: list[str] = field(default_factory=list)
    probe_seconds: Optional[float] = None


# -- pip check and module imports in the target ------------------------------------------------------


@dataclass
class PipCheckFacts:
    probed: bool = False
    ran: bool = False
    clean: Optional[bool] = None
    problems: list[str] = field(default_factory=list)
    error: Optional[str] = None
    seconds: Optional[float] = None


@dataclass
class ModuleImport:
    ok: bool
    seconds: Optional[float] = None
    version: Optional[str] = None
    error: Optional[str] = None


@dataclass
class ImportsFacts:
    probed: bool = False
    modules: dict[str, ModuleImport] = field(default_factory=dict)
    error: Optional[str] = None
    seconds: Optional[float] = None


# -- the host (probes/host.py, in tfenvcheck's own process) -----------------------------------------


@dataclass
class OSFacts:
    system: str = ""
    release: str = ""
    version: str = ""
    distribution: Optional[str] = None  # Linux
    wsl: Optional[bool] = None  # Linux
    mac_version: Optional[str] = None  # macOS
    rosetta: Optional[bool] = None  # macOS
    windows_edition: Optional[str] = None  # Windows

    @property
    def title(self) -> str:
        """ "Debian GNU/Linux 12 (bookworm)", "Darwin 14.5", "Windows 10"."""
        return self.distribution or "{} {}".format(self.system, self.mac_version or self.release)


@dataclass
class CPUFacts:
    brand: Optional[str] = None
    vendor: Optional[str] = None
    arch: Optional[str] = None
    machine: str = ""
    physical_cores: Optional[int] = None
    logical_cores: Optional[int] = None
    flags: list[str] = field(default_factory=list)
    important_flags: dict[str, bool] = field(default_factory=dict)


@dataclass
class MemoryFacts:
    total_bytes: int = 0
    available_bytes: int = 0


@dataclass
class DiskFacts:
    path: str = ""
    total_bytes: int = 0
    free_bytes: int = 0


@dataclass
class DriverGPU:
    index: int
    name: str
    uuid: str
    memory_total_mib: Optional[int] = None
    compute_capability: Optional[str] = None


@dataclass
class NvidiaFacts:
    nvidia_smi: Optional[str] = None  # its path; None when the machine has no NVIDIA driver
    driver_version: Optional[str] = None
    cuda_driver_version: Optional[str] = None
    gpus: list[DriverGPU] = field(default_factory=list)
    error: Optional[str] = None


@dataclass
class HostFacts:
    os: OSFacts = field(default_factory=OSFacts)
    cpu: CPUFacts = field(default_factory=CPUFacts)
    memory: MemoryFacts = field(default_factory=MemoryFacts)
    disk: DiskFacts = field(default_factory=DiskFacts)
    nvidia: NvidiaFacts = field(default_factory=NvidiaFacts)


# -- PyCharm (tfenvcheck/pycharm/, in tfenvcheck's own process) ------------------------------------


@dataclass
class PyCharmSdk:
    """One Python SDK of a config dir's jdk.table.xml (tfenvcheck/pycharm/sdk_table.py)."""

    name: str
    home_path: Optional[str]  # None when it cannot be known here (remote, unknown macro)
    raw_home_path: str
    flavor: str
    remote: Optional[str] = None
    version: Optional[str] = None
    conda_env: Optional[str] = None
    associated_project: Optional[str] = None


@dataclass
class PyCharmProject:
    """How a PyCharm project's interpreter resolved (tfenvcheck/pycharm/project.py)."""

    project_dir: str
    module_file: Optional[str] = None
    sdk_name: Optional[str] = None
    sdk_name_from: Optional[str] = None  # "module" or "project"
    config_dir: Optional[str] = None
    sdk: Optional[PyCharmSdk] = None
    interpreter: Optional[str] = None  # None: no usable one
    issues: list[JSONObject] = field(default_factory=list)  # as pycharm/issues.py records them
    is_target: bool = False  # whether it is the interpreter judged


@dataclass
class PyCharmPlugin:
    """A plugin the user installed into one PyCharm configuration (read from its jar's plugin.xml)."""

    id: str
    name: str
    version: Optional[str] = None
    enabled: bool = True  # False: listed in the config's disabled_plugins.txt
    path: str = ""


@dataclass
class PyCharmInstallation:
    """One installed PyCharm (or DataSpell, or IntelliJ IDEA with the Python plugin)."""

    product: str  # "PyCharm Community"
    product_code: str  # "PC", "PY", "DS", "IC", "IU"
    version: str  # "2021.3.3"
    build: Optional[str]  # "213.7172.26"
    path: str  # the installation folder (the .app bundle on macOS)
    application_home: str  # what $APPLICATION_HOME_DIR$ stands for (Contents/ inside a macOS bundle)
    found_by: str  # "tarball", "toolbox", "snap", "flatpak", "applications", "program-files"
    data_directory_name: Optional[str] = None  # "PyCharmCE2021.3": the config folder's name
    config_dir: Optional[str] = None  # None: not there (the IDE was never started)
    plugins_dir: Optional[str] = None
    plugins: list[PyCharmPlugin] = field(default_factory=list)
    issues: list[JSONObject] = field(
        default_factory=list
    )  # unreadable files and plugins, as pycharm/issues.py records them

    @property
    def label(self) -> str:
        return "{} {}".format(self.product, self.version)


@dataclass
class PyCharmSearchPlace:
    path: str
    found_by: str
    exists: bool = False


@dataclass
class PyCharmInstallations:
    probed: bool = False
    system: str = ""
    looked_in: list[PyCharmSearchPlace] = field(default_factory=list)
    installations: list[PyCharmInstallation] = field(default_factory=list)  # newest first


# -- the NVIDIA stack as the target process sees it (probes/gpu_payload.py, probes/gpu.py) ------------


@dataclass
class WheelLibrary:
    """A library file of an nvidia-* wheel (site-packages/nvidia/<package>/lib/)."""

    path: str
    package: str  # "cudnn", "cuda_runtime"
    loaded: bool = False  # already loaded in the target at start-up (preloaded by path)
    on_library_path: bool = False  # its folder is on the target's LD_LIBRARY_PATH


@dataclass
class LoadedLibraries:
    """The CUDA libraries TensorFlow asked the dynamic loader for, as LD_DEBUG=libs showed them."""

    probed: bool = False
    loaded: dict[str, str] = field(default_factory=dict)  # file name -> the path it was loaded from
    not_found: list[str] = field(default_factory=list)  # asked for by name, never loaded
    gpus: Optional[int] = None  # how many GPUs TensorFlow listed in that run
    error: Optional[str] = None


@dataclass
class GpuTargetFacts:
    probed: bool = False
    error: Optional[str] = None
    sys_platform: Optional[str] = None
    library_path: list[str] = field(default_factory=list)  # LD_LIBRARY_PATH, in order
    libcuda_error: Optional[str] = None  # why libcuda.so.1 does not load (None: it loads, or not Linux)
    libcuda_path: Optional[str] = None  # where it loaded from
    wsl_library_folder: Optional[str] = None  # /usr/lib/wsl/lib, where it exists (WSL2's driver)
    wsl_library_folder_on_path: bool = False
    wheel_libraries: list[WheelLibrary] = field(default_factory=list)
    container: Optional[str] = None  # "docker", "podman", "kubepods", ...; None outside a container
    loaded_libraries: LoadedLibraries = field(default_factory=LoadedLibraries)


# -- the whole record ---------------------------------------------------------------------------------


@dataclass
class TargetFacts:
    executable: str
    reason: str


@dataclass
class Facts:
    target: TargetFacts
    interpreter: InterpreterFacts
    host: HostFacts = field(default_factory=HostFacts)
    tensorflow: TensorFlowFacts = field(default_factory=TensorFlowFacts)
    pip_check: PipCheckFacts = field(default_factory=PipCheckFacts)
    imports: ImportsFacts = field(default_factory=ImportsFacts)
    # How PyCharm resolved a project's interpreter; None when no project was involved.
    pycharm: Optional[PyCharmProject] = None
    # The PyCharm installations on this machine, with their plugins (tfenvcheck/pycharm/installations.py).
    pycharm_installations: PyCharmInstallations = field(default_factory=PyCharmInstallations)
    # What the target process sees of the NVIDIA stack; the CUDA libraries its TensorFlow loads.
    gpu: GpuTargetFacts = field(default_factory=GpuTargetFacts)

    @property
    def packages(self) -> dict[str, str]:
        """Normalised distribution name -> version, sorted by name (the first of each on sys.path)."""
        return {name: found.version for name, found in sorted(self.interpreter.distributions.items())}

    def to_dict(self) -> JSONObject:
        """The record as JSON, with `packages` spelled out for readers of the file."""
        return envelope(FACTS, **to_dict(self), packages=self.packages)

    @classmethod
    def from_dict(cls, data: Any, what: str = "facts") -> "Facts":
        return parse(cls, data, what)
