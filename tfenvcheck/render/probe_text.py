"""The human view of a facts record (`tfenvcheck probe`): one line per subject, details with -v."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tfenvcheck.facts.model import CPUFacts, Facts, GpuTargetFacts, HostFacts, InterpreterFacts, TensorFlowFacts
from tfenvcheck.probes.tensorflow import error_summary
from tfenvcheck.render.console import gib

# The packages an exam stack is made of, shown even when missing.
KEY_PACKAGES = (
    "tensorflow",
    "tensorflow-cpu",
    "tensorflow-gpu",
    "tensorflow-macos",
    "tensorflow-intel",
    "tf-nightly",
    "keras",
    "tf-keras",
    "numpy",
    "protobuf",
    "h5py",
    "tensorflow-datasets",
    "pillow",
    "pandas",
    "scipy",
    "typing-extensions",
    "pip",
)
# Shown as "missing" when absent; the other key packages (variants, helpers) only when installed.
_ALWAYS_SHOWN = (
    set(KEY_PACKAGES)
    - {"tensorflow-cpu", "tensorflow-gpu", "tensorflow-macos", "tensorflow-intel"}
    - {
        "tf-nightly",
        "tf-keras",
        "typing-extensions",
    }
)


def yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "?"}[value]


def cpu_flag_text(cpu: CPUFacts) -> str:
    flags = cpu.important_flags
    if flags.get("neon") or flags.get("asimd"):
        return "ARM NEON"
    labels = (("AVX", "avx"), ("AVX2", "avx2"), ("FMA", "fma"), ("AVX-512", "avx512f"))
    return ", ".join("{} {}".format(label, yes_no(flags.get(key))) for label, key in labels)


def host_lines(host: HostFacts) -> list[tuple[str, str]]:
    os_facts, cpu = host.os, host.cpu
    system = os_facts.title
    extras = [name for name, on in (("WSL", os_facts.wsl), ("under Rosetta", os_facts.rosetta)) if on]
    disk = host.disk
    nvidia = host.nvidia
    if nvidia.nvidia_smi is None:
        gpu = "none seen (no nvidia-smi)"
    elif nvidia.error:
        gpu = "nvidia-smi failed: " + nvidia.error
    elif not nvidia.gpus:
        gpu = "nvidia-smi sees no GPU"
    else:
        gpu = "; ".join(
            "{} ({} MiB{})".format(
                g.name,
                g.memory_total_mib,
                ", compute " + g.compute_capability if g.compute_capability else "",
            )
            for g in nvidia.gpus
        ) + ", driver {} (CUDA {})".format(nvidia.driver_version, nvidia.cuda_driver_version or "?")
    return [
        ("OS", " ".join([system, *extras])),
        (
            "CPU",
            "{}, {}, {} cores / {} threads; {}".format(
                cpu.brand or "unknown CPU",
                cpu.machine,
                cpu.physical_cores,
                cpu.logical_cores,
                cpu_flag_text(cpu),
            ),
        ),
        (
            "Memory",
            "{} total, {} available".format(gib(host.memory.total_bytes), gib(host.memory.available_bytes)),
        ),
        ("Disk", "{} free of {} at {}".format(gib(disk.free_bytes), gib(disk.total_bytes), disk.path)),
        ("GPU (driver)", gpu),
    ]


def interpreter_lines(interpreter: InterpreterFacts) -> list[tuple[str, str]]:
    kind = "venv of " if interpreter.is_venv else ""
    return [
        (
            "Python",
            "{} {} {}-bit, {}{} Python at {}".format(
                interpreter.version,
                interpreter.implementation,
                interpreter.bits,
                kind,
                interpreter.origin,
                interpreter.base_prefix,
            ),
        )
    ]


def tensorflow_lines(tensorflow: TensorFlowFacts) -> list[tuple[str, str]]:
    if not tensorflow.probed:
        return [("TensorFlow", "not probed (--no-tensorflow)")]
    if not tensorflow.importable:
        return [("TensorFlow", "does not import: " + (error_summary(tensorflow) or "unknown error"))]
    keras = tensorflow.keras
    keras_text = (
        "tf.keras is {} {}".format(keras.backing, keras.version or "")
        if keras is not None and keras.backing
        else "tf.keras unavailable"
    )
    ops = tensorflow.tiny_ops
    devices = (
        ", ".join(
            "{} ({})".format(op["device"].replace("/device:", ""), "op ok" if op.get("ok") else "op FAILED")
            for op in ops
        )
        or "none"
    )
    gpus = tensorflow.gpus
    gpu_text = (
        "; GPUs: " + ", ".join(g.get("model") or g["name"] for g in gpus) if gpus else "; no GPU visible to TensorFlow"
    )
    return [
        (
            "TensorFlow",
            "{} (imports in {:.1f} s), {}; built with CUDA: {}; devices: {}{}".format(
                tensorflow.version,
                tensorflow.import_seconds or 0,
                keras_text.strip(),
                yes_no(tensorflow.built_with_cuda),
                devices,
                gpu_text,
            ),
        )
    ]


def gpu_target_lines(gpu: GpuTargetFacts, tensorflow: TensorFlowFacts) -> list[tuple[str, str]]:
    """What the target process sees of the NVIDIA stack: libcuda, the nvidia-* wheels' libraries,
    WSL's driver folder, a container; the build's CUDA; what TensorFlow really loaded."""
    if not gpu.probed:
        return [("GPU (target)", "not probed" + (": " + gpu.error if gpu.error else ""))]
    parts = ["libcuda loads from " + gpu.libcuda_path if gpu.libcuda_path else "libcuda does not load"]
    if gpu.libcuda_error:
        parts[0] = "libcuda does not load: " + gpu.libcuda_error
    if gpu.wsl_library_folder:
        parts.append(
            "WSL's driver folder {} is {}on the library path".format(
                gpu.wsl_library_folder, "" if gpu.wsl_library_folder_on_path else "not "
            )
        )
    wheels = gpu.wheel_libraries
    if wheels:
        parts.append(
            "nvidia-* wheels: {} libraries of {} ({} on the library path, {} preloaded)".format(
                len(wheels),
                ", ".join(sorted({w.package for w in wheels})),
                sum(w.on_library_path for w in wheels),
                sum(w.loaded for w in wheels),
            )
        )
    else:
        parts.append("no nvidia-* wheel libraries")
    if gpu.container:
        parts.append("in a {} container".format(gpu.container))
    rows = [("GPU (target)", "; ".join(parts))]
    build = tensorflow.build_info or {}
    if build.get("is_cuda_build"):
        rows.append(
            (
                "CUDA build",
                "CUDA {}, cuDNN {}, compute capabilities {}".format(
                    build.get("cuda_version") or "?",
                    build.get("cudnn_version") or "?",
                    ", ".join(build.get("cuda_compute_capabilities") or []) or "?",
                ),
            )
        )
    loaded = gpu.loaded_libraries
    if loaded.probed:
        text = loaded.error or "{} loaded ({}); not found: {}".format(
            len(loaded.loaded), ", ".join(sorted(loaded.loaded)) or "none", ", ".join(loaded.not_found) or "none"
        )
        rows.append(("CUDA libraries", text))
    return rows


def package_line(packages: dict[str, str], verbose: bool) -> list[tuple[str, str]]:
    if verbose:
        names = sorted(packages)
    else:
        names = [n for n in KEY_PACKAGES if n in packages or n in _ALWAYS_SHOWN]
    text = ", ".join("{} {}".format(n, packages.get(n, "missing")) for n in names) or "none"
    return [("Packages", text)]


def verbose_lines(facts: Facts) -> list[tuple[str, str]]:
    interpreter = facts.interpreter
    ssl = interpreter.ssl
    env = interpreter.environment
    lines = [
        ("Executable", "{} -> {}".format(interpreter.executable, interpreter.real_executable)),
        ("Prefix", "{} (base {})".format(interpreter.prefix, interpreter.base_prefix)),
        ("Stdlib", interpreter.paths.stdlib or "?"),
        ("Site-packages", ", ".join(interpreter.paths.site_packages) or interpreter.paths.purelib or "?"),
        ("linecache.py", interpreter.linecache_file or "?"),
        (
            "SSL",
            "{}; CA file {}".format(ssl.openssl_version, ssl.cafile or ssl.openssl_cafile)
            if ssl.available
            else "unavailable: " + (ssl.error or ""),
        ),
        (
            "Environment",
            ", ".join("{}={}".format(k, v) for k, v in env.variables.items()) or "no TensorFlow-related variables set",
        ),
    ]
    for name, entries in env.cuda_path_entries.items():
        lines.append(("CUDA in " + name, ", ".join(entries)))
    for line in facts.tensorflow.log_lines:
        lines.append(("TF log", line))
    return lines


def render_probe(facts: Facts, console: Console, verbose: bool = False) -> None:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    target = facts.target
    rows = [("Target", "{} ({})".format(target.executable, target.reason))]
    rows += interpreter_lines(facts.interpreter)
    rows += host_lines(facts.host)
    rows += tensorflow_lines(facts.tensorflow)
    rows += gpu_target_lines(facts.gpu, facts.tensorflow)
    rows += package_line(facts.packages, verbose)
    if verbose:
        rows += verbose_lines(facts)
    for key, value in rows:
        table.add_row(key, escape(value))
    console.print(table)
