"""Why TensorFlow sees no GPU, step by step: one finding per link of the chain from the driver to
the CUDA libraries TensorFlow loads, each with the fix for that link.

The steps, in the order the chain breaks: a driver at all (nvidia-smi); libcuda.so.1 loadable by
the target; the nvidia-* wheels' libraries findable (preloaded, or on LD_LIBRARY_PATH); the cuDNN
and CUDA wheels against TensorFlow's build (`tf.sysconfig.get_build_info()`); the GPU's compute
capability among the build's; native Windows after 2.10; which CUDA libraries TensorFlow really
loaded and which it asked for in vain (LD_DEBUG=libs); and a container, which hides the driver
unless started with the GPU. The diagnosis runs where a GPU is expected (a driver, the wheels or
WSL's driver folder) and TensorFlow imported but lists none.
"""

from __future__ import annotations

from pathlib import Path

from packaging.version import Version

from tfenvcheck.checks.build_table import build_table
from tfenvcheck.checks.finding import OK, SKIPPED, WARN, Finding
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.registry.conditions import has_kernels_for
from tfenvcheck.versions import parse_version, tensorflow_version

NO_DRIVERS = "no-cuda-drivers"
LIBRARIES_OFF_PATH = "pip-cuda-libs-not-found"
CUDNN_OLDER = "cudnn-runtime-older"
CAPABILITY = "gpu-compute-capability-unsupported"
WINDOWS = "windows-gpu-after-2.10"
# What TensorFlow asks for and runs without: TensorRT (TF-TRT only warns "Could not find TensorRT").
OPTIONAL_LIBRARIES = ("libnvinfer",)
DRIVER_LIBRARY = "libcuda.so.1"
STEPS = ("driver", "libcuda", "wheels", "build", "capability", "windows", "loaded", "container")
CONTAINER_GPU_HINT = (
    "a container sees the GPU only when started with it: `docker run --gpus all` (the NVIDIA Container Toolkit "
    "installed on the host), or podman's `--device nvidia.com/gpu=all`"
)


def _finding(step: str, status: str, title: str, **fields: str | None) -> Finding:
    number = STEPS.index(step) + 1
    return Finding("gpu.diagnosis." + step, status, "GPU step {} ({}): {}".format(number, step, title), **fields)


def gpu_expected(facts: Facts) -> bool:
    gpu, nvidia = facts.gpu, facts.host.nvidia
    return bool(nvidia.gpus or nvidia.error or gpu.wheel_libraries or gpu.wsl_library_folder)


def check_gpu_diagnosis(facts: Facts, profile: Profile) -> list[Finding]:
    tensorflow = facts.tensorflow
    if not tensorflow.importable or tensorflow.gpus or not gpu_expected(facts):
        return []
    linux = facts.interpreter.sys_platform.startswith("linux")
    steps = [_driver(facts)]
    if linux:
        steps += [_libcuda(facts), _wheels(facts)]
    steps += [_build(facts), _capability(facts)]
    if facts.interpreter.sys_platform == "win32":
        steps.append(_windows(facts))
    if linux:
        steps.append(_loaded(facts))
    if facts.gpu.container:
        steps.append(_container(facts))
    return steps


def _driver(facts: Facts) -> Finding:
    nvidia = facts.host.nvidia
    if nvidia.gpus:
        cuda = " (CUDA up to {})".format(nvidia.cuda_driver_version) if nvidia.cuda_driver_version else ""
        return _finding(
            "driver",
            OK,
            "driver {} sees {}{}".format(nvidia.driver_version, ", ".join(g.name for g in nvidia.gpus), cuda),
        )
    wsl = facts.gpu.wsl_library_folder
    hint = (
        "install the NVIDIA driver on Windows (WSL2 gets it from there, in {}; no Linux driver inside WSL)".format(wsl)
        if wsl or facts.host.os.wsl
        else "install the NVIDIA driver for this GPU; `nvidia-smi` must list it"
    )
    seen = "nvidia-smi failed: {}".format(nvidia.error) if nvidia.error else "no nvidia-smi on PATH"
    return _finding("driver", WARN, "no NVIDIA driver answers", seen=seen, hint=hint, fix_id=NO_DRIVERS)


def _libcuda(facts: Facts) -> Finding:
    gpu = facts.gpu
    if not gpu.probed or gpu.error:
        return _finding("libcuda", SKIPPED, "the target's view was not probed", seen=gpu.error)
    if gpu.libcuda_error is None:
        return _finding("libcuda", OK, "the target loads libcuda.so.1", seen=gpu.libcuda_path)
    if gpu.wsl_library_folder and not gpu.wsl_library_folder_on_path:
        hint = "on WSL2 the driver's libcuda.so.1 is in {0}: put {0} on LD_LIBRARY_PATH".format(gpu.wsl_library_folder)
    elif gpu.container:
        hint = CONTAINER_GPU_HINT
    else:
        hint = "install the NVIDIA driver (it brings libcuda.so.1); a CUDA toolkit alone does not"
    return _finding(
        "libcuda", WARN, "the target cannot load libcuda.so.1", seen=gpu.libcuda_error, hint=hint, fix_id=NO_DRIVERS
    )


def _wheels(facts: Facts) -> Finding:
    libraries = facts.gpu.wheel_libraries
    if not libraries:
        version = tensorflow_version(facts)
        hint = (
            'TensorFlow {} can bring CUDA as wheels: pip install "tensorflow[and-cuda]=={}"'.format(version, version)
            if version is not None and version >= Version("2.15")
            else None
        )
        return _finding("wheels", SKIPPED, "no nvidia-* wheels: CUDA must come from the system", hint=hint)
    off = [Path(library.path).name for library in libraries if not library.loaded and not library.on_library_path]
    packages = sorted({library.package for library in libraries})
    if not off:
        how = "preloaded" if all(library.loaded for library in libraries) else "preloaded or on LD_LIBRARY_PATH"
        return _finding("wheels", OK, "the nvidia-* wheels' {} libraries are {}".format(len(libraries), how))
    return _finding(
        "wheels",
        WARN,
        "{} of the nvidia-* wheels' {} libraries are not on the loader path".format(len(off), len(libraries)),
        seen="{} (of nvidia/{}) neither preloaded nor on LD_LIBRARY_PATH".format(
            ", ".join(off[:4]) + (", ..." if len(off) > 4 else ""), ", ".join(packages)
        ),
        hint="`tfenvcheck fix {}` loads them by path at every start of the target".format(LIBRARIES_OFF_PATH),
        fix_id=LIBRARIES_OFF_PATH,
    )


def _wheel_version(facts: Facts, stem: str) -> tuple[str, Version] | None:
    """The installed nvidia-<stem>-cu12 (or -cu11) wheel and its version."""
    packages = facts.packages
    for name in ("nvidia-{}-cu12".format(stem), "nvidia-{}-cu11".format(stem)):
        version = parse_version(packages.get(name))
        if version is not None:
            return name, version
    return None


def _build(facts: Facts) -> Finding:
    info = facts.tensorflow.build_info or {}
    if not info:
        error = facts.tensorflow.build_info_error
        return _finding("build", SKIPPED, "TensorFlow reports no build info", seen=error.first_line if error else None)
    if info.get("is_cuda_build") is False:
        return _finding(
            "build",
            WARN,
            "this TensorFlow is a CPU-only build",
            expected="a CUDA build of TensorFlow (tensorflow, not tensorflow-cpu)",
            hint='pip install "tensorflow[and-cuda]" on Linux (2.15 and newer)',
        )
    built_cudnn, built_cuda = (
        parse_version(str(info.get("cudnn_version"))),
        parse_version(str(info.get("cuda_version"))),
    )
    cudnn, cuda = _wheel_version(facts, "cudnn"), _wheel_version(facts, "cuda-runtime")
    if cudnn is None and cuda is None:
        return _finding(
            "build",
            SKIPPED,
            "no nvidia-cudnn or nvidia-cuda-runtime wheel to compare with the build",
            seen="TensorFlow built with CUDA {}, cuDNN {}".format(info.get("cuda_version"), info.get("cudnn_version")),
        )
    problems = []
    if cudnn is not None and built_cudnn is not None and cudnn[1].major != built_cudnn.major:
        problems.append(
            "{} {} is cuDNN {}, TensorFlow was built with cuDNN {}".format(*cudnn, cudnn[1].major, built_cudnn)
        )
    elif cudnn is not None and built_cudnn is not None and cudnn[1].release[:2] < built_cudnn.release[:2]:
        problems.append("{} {} is older than the build's cuDNN {}".format(*cudnn, built_cudnn))
    if cuda is not None and built_cuda is not None and cuda[1].major != built_cuda.major:
        problems.append("{} {} is not of the build's CUDA {}".format(*cuda, built_cuda))
    seen = "; ".join("{} {}".format(name, version) for name, version in filter(None, (cudnn, cuda)))
    expected = "cuDNN {}.x (>= {}) and CUDA {}.x, as TensorFlow was built".format(
        built_cudnn.major if built_cudnn else "?", built_cudnn or "?", built_cuda.major if built_cuda else "?"
    )
    if problems:
        return _finding(
            "build",
            WARN,
            "; ".join(problems),
            seen=seen,
            expected=expected,
            hint="cuDNN loads only at the build's major and at least its minor: install the nvidia-* wheels of "
            "TensorFlow's build (tensorflow[and-cuda] pins them); torch often pins another cuDNN: keep it in "
            "another venv",
            fix_id=CUDNN_OLDER,
        )
    return _finding("build", OK, "the nvidia-* wheels match TensorFlow's build", seen=seen, expected=expected)


def _capability(facts: Facts) -> Finding:
    built = (facts.tensorflow.build_info or {}).get("cuda_compute_capabilities")
    capabilities = [gpu.compute_capability for gpu in facts.host.nvidia.gpus if gpu.compute_capability]
    if not isinstance(built, list) or not built or not capabilities:
        return _finding("capability", SKIPPED, "the GPU's or the build's compute capabilities are unknown")
    lacking = [c for c in capabilities if not has_kernels_for(c, built)]
    seen = "GPU compute capability {}; TensorFlow built for {}".format(", ".join(capabilities), ", ".join(built))
    if not lacking:
        return _finding("capability", OK, "TensorFlow has kernels for this GPU", seen=seen)
    return _finding(
        "capability",
        WARN,
        "TensorFlow has no kernels for compute capability {}".format(", ".join(lacking)),
        seen=seen,
        hint="without them CUDA JIT-compiles PTX (30 minutes or more) or fails; use a TensorFlow built for this GPU "
        "(a newer release, or NVIDIA's TensorFlow container)",
        fix_id=CAPABILITY,
    )


def _windows(facts: Facts) -> Finding:
    version = tensorflow_version(facts)
    last = build_table().windows_last_gpu_release
    if version is not None and version.release[:2] > last.release[:2]:
        return _finding(
            "windows",
            WARN,
            "native Windows TensorFlow {} has no GPU support (the last was {})".format(version, last),
            hint='pip install "tensorflow<2.11" for the GPU on native Windows, or run TensorFlow in WSL2',
            fix_id=WINDOWS,
        )
    return _finding("windows", OK, "TensorFlow {} still supports the GPU on native Windows".format(version))


def _loaded(facts: Facts) -> Finding:
    libraries = facts.gpu.loaded_libraries
    if not libraries.probed:
        return _finding("loaded", SKIPPED, "the CUDA libraries TensorFlow loads were not traced")
    loaded = ", ".join("{} ({})".format(name, path) for name, path in libraries.loaded.items()) or "none"
    optional = [name for name in libraries.not_found if name.startswith(OPTIONAL_LIBRARIES)]
    seen = "loaded: " + loaded + ("; not found, optional (TensorRT): " + ", ".join(optional) if optional else "")
    missing = [name for name in libraries.not_found if name not in optional]
    if missing:
        wheels = {Path(library.path).name for library in facts.gpu.wheel_libraries}
        in_wheels = [name for name in missing if name in wheels]
        return _finding(
            "loaded",
            WARN,
            "TensorFlow asked for {} and the loader did not find {}".format(
                ", ".join(missing), "it" if len(missing) == 1 else "them"
            ),
            seen=seen,
            hint=_missing_hint(in_wheels, missing),
            fix_id=LIBRARIES_OFF_PATH if in_wheels else NO_DRIVERS if missing == [DRIVER_LIBRARY] else None,
        )
    if libraries.error:
        return _finding("loaded", SKIPPED, "tracing TensorFlow's loads failed", seen=libraries.error)
    return _finding("loaded", OK, "TensorFlow found every CUDA library it needs", seen=seen)


def _missing_hint(in_wheels: list[str], missing: list[str]) -> str:
    if in_wheels:
        return "the nvidia-* wheels hold {}: `tfenvcheck fix {}` preloads them".format(
            ", ".join(in_wheels), LIBRARIES_OFF_PATH
        )
    others = [name for name in missing if name != DRIVER_LIBRARY]
    parts = ["{} is the NVIDIA driver's (step 2)".format(DRIVER_LIBRARY)] if DRIVER_LIBRARY in missing else []
    if others:
        parts.append("install the CUDA libraries of TensorFlow's build (tensorflow[and-cuda] on Linux)")
    return "; ".join(parts)


def _container(facts: Facts) -> Finding:
    gpu = facts.gpu
    blind = gpu.libcuda_error is not None and not facts.host.nvidia.gpus
    return _finding(
        "container",
        WARN if blind else OK,
        "runs in a container ({})".format(gpu.container),
        hint=CONTAINER_GPU_HINT if blind else None,
    )
