# Run by the *target* interpreter, not by tfenvcheck: standard library only, no imports from
# tfenvcheck, valid syntax for CPython 2.7 too (so that an old Python can say what it is instead of
# failing to compile), working on CPython 3.6 to 3.13. It answers with one JSON object.
# tfenvcheck sends prelude_payload.py ahead of it, which defines answer().
import os
import sys

MIN_SUPPORTED = (3, 6)

# Variables that change what TensorFlow, Keras or protobuf do.
TF_VARIABLES = (
    "TF_USE_LEGACY_KERAS",
    "KERAS_BACKEND",
    "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION",
    "CUDA_VISIBLE_DEVICES",
    "TF_CPP_MIN_LOG_LEVEL",
    "TF_ENABLE_ONEDNN_OPTS",
    "TF_FORCE_GPU_ALLOW_GROWTH",
    "XLA_FLAGS",
    "CUDA_HOME",
    "CUDA_PATH",
    "SSL_CERT_FILE",
    "PYTHONPATH",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
)
# Search-path variables whose CUDA/cuDNN entries decide which libraries TensorFlow loads.
PATH_VARIABLES = ("PATH", "LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH")


def version_text():
    return "%d.%d.%d" % tuple(sys.version_info[:3])


def read_metadata_headers(path):
    """Name and Version from a METADATA / PKG-INFO file: only the header block is read."""
    name = version = None
    with open(path, "rb") as handle:
        for raw in handle:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if not line.strip():
                break
            if line.startswith("Name:") and name is None:
                name = line[5:].strip()
            elif line.startswith("Version:") and version is None:
                version = line[8:].strip()
            if name and version:
                break
    return name, version


def normalise(name):
    out = []
    for char in name.lower():
        out.append("-" if char in "-_." else char)
    text = "".join(out)
    while "--" in text:
        text = text.replace("--", "-")
    return text


def installed_distributions():
    """Every distribution importable from sys.path, first one wins as for imports."""
    found = {}
    shadowed = []
    seen_dirs = set()
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):
            continue
        entry = os.path.realpath(entry)
        if entry in seen_dirs:
            continue
        seen_dirs.add(entry)
        try:
            names = sorted(os.listdir(entry))
        except OSError:
            continue
        for item in names:
            full = os.path.join(entry, item)
            if item.endswith(".dist-info"):
                meta = os.path.join(full, "METADATA")
            elif item.endswith(".egg-info"):
                meta = os.path.join(full, "PKG-INFO") if os.path.isdir(full) else full
            else:
                continue
            try:
                name, version = read_metadata_headers(meta)
            except (IOError, OSError):
                continue
            if not name or not version:
                continue
            key = normalise(name)
            if key in found:
                shadowed.append({"name": key, "version": version, "location": entry})
            else:
                found[key] = {"version": version, "location": entry}
    return found, shadowed


def site_paths():
    import sysconfig

    paths = sysconfig.get_paths()
    result = {
        "stdlib": paths.get("stdlib"),
        "purelib": paths.get("purelib"),
        "platlib": paths.get("platlib"),
        "site_packages": [],
        "user_site": None,
        "user_site_enabled": None,
    }
    try:
        import site

        if hasattr(site, "getsitepackages"):
            result["site_packages"] = list(site.getsitepackages())
        result["user_site"] = site.getusersitepackages()
        result["user_site_enabled"] = bool(site.ENABLE_USER_SITE)
    except Exception:  # old virtualenv ships a site.py without these
        pass
    return result


def ssl_facts():
    try:
        import ssl
    except Exception as exc:  # a Python built without OpenSSL
        return {"available": False, "error": "%s: %s" % (type(exc).__name__, exc)}
    paths = ssl.get_default_verify_paths()
    return {
        "available": True,
        "openssl_version": ssl.OPENSSL_VERSION,
        "cafile": paths.cafile,
        "capath": paths.capath,
        "openssl_cafile": paths.openssl_cafile,
        "openssl_cafile_exists": bool(paths.openssl_cafile and os.path.exists(paths.openssl_cafile)),
        "openssl_capath": paths.openssl_capath,
    }


def environment():
    variables = {}
    for name in TF_VARIABLES:
        if name in os.environ:
            variables[name] = os.environ[name]
    cuda_paths = {}
    for name in PATH_VARIABLES:
        entries = [p for p in os.environ.get(name, "").split(os.pathsep) if p]
        hits = [p for p in entries if "cuda" in p.lower() or "cudnn" in p.lower()]
        if hits:
            cuda_paths[name] = hits
    return {"variables": variables, "cuda_path_entries": cuda_paths}


def msvc_runtime():
    """On Windows, whether the Visual C++ runtime TensorFlow 2.1+ loads is installed; else None."""
    if os.name != "nt":
        return None
    system32 = os.path.join(os.environ.get("SystemRoot", "C:\\Windows"), "System32")
    return os.path.exists(os.path.join(system32, "msvcp140_1.dll"))


def main():
    if tuple(sys.version_info[:2]) < MIN_SUPPORTED:
        answer({"supported": False, "version": version_text(), "executable": sys.executable})
        return
    import linecache
    import platform
    import struct

    distributions, shadowed = installed_distributions()
    facts = {
        "supported": True,
        "executable": sys.executable,
        "real_executable": os.path.realpath(sys.executable),
        "version": version_text(),
        "version_info": list(sys.version_info),
        "sys_version": sys.version,
        "implementation": platform.python_implementation(),
        "bits": struct.calcsize("P") * 8,
        "sys_platform": sys.platform,
        "machine": platform.machine(),
        "system": platform.system(),
        "prefix": sys.prefix,
        "base_prefix": getattr(sys, "base_prefix", sys.prefix),
        "real_prefix": getattr(sys, "real_prefix", None),
        "conda_meta": os.path.isdir(os.path.join(sys.prefix, "conda-meta")),
        "base_conda_meta": os.path.isdir(os.path.join(getattr(sys, "base_prefix", sys.prefix), "conda-meta")),
        "paths": site_paths(),
        "linecache_file": linecache.__file__,
        "msvc_runtime": msvc_runtime(),
        "ssl": ssl_facts(),
        "environment": environment(),
        "distributions": distributions,
        "shadowed_distributions": shadowed,
    }
    answer(facts)


if __name__ == "__main__":
    main()
