# What the *target* process sees of the NVIDIA stack: whether it can load the driver's libcuda.so.1,
# the nvidia-* wheels' libraries in its site-packages and whether each is already loaded (preloaded
# at start-up) or its folder is on LD_LIBRARY_PATH, WSL's driver folder, and whether it runs in a
# container. Standard library only, valid on CPython 2.7 (parse) and 3.6-3.13; nothing is imported
# beyond ctypes, and no wheel library is loaded (RTLD_NOLOAD only asks whether one already is).
# The prelude (prelude_payload.py) precedes it and defines answer() and describe_exception().

import glob

WSL_LIBRARY_FOLDER = "/usr/lib/wsl/lib"
RTLD_NOLOAD = getattr(os, "RTLD_NOLOAD", 4)  # glibc's value; os has it from Python 3.3
CONTAINER_CGROUP_WORDS = ("docker", "kubepods", "containerd", "libpod", "lxc")


def library_path():
    return [part for part in os.environ.get("LD_LIBRARY_PATH", "").split(":") if part]


def load_error(ctypes, name, mode):
    try:
        ctypes.CDLL(name, mode=mode)
    except OSError as error:
        return str(error)
    return None


def mapped_path(basename):
    """Where the process mapped a library of this file name from (/proc/self/maps), or None."""
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                if os.path.basename(path).startswith(basename):
                    return path
    except (IOError, OSError):
        pass
    return None


def site_folders():
    """The folders on sys.path that hold an nvidia/ namespace (the wheels install there)."""
    found = []
    for entry in sys.path:
        if entry and os.path.isdir(os.path.join(entry, "nvidia")) and entry not in found:
            found.append(entry)
    return found


def wheel_libraries(ctypes, on_path):
    libraries = []
    for folder in site_folders():
        for path in sorted(glob.glob(os.path.join(folder, "nvidia", "*", "lib", "*.so*"))):
            if not os.path.isfile(path):
                continue
            loaded = ctypes is not None and load_error(ctypes, os.path.basename(path), RTLD_NOLOAD) is None
            libraries.append(
                {
                    "path": path,
                    "package": os.path.basename(os.path.dirname(os.path.dirname(path))),
                    "loaded": loaded,
                    "on_library_path": os.path.realpath(os.path.dirname(path)) in on_path,
                }
            )
    return libraries


def container():
    """The container runtime this process runs in, as far as its files tell; None outside one."""
    if os.path.exists("/.dockerenv"):
        return "docker"
    if os.path.exists("/run/.containerenv"):
        return "podman"
    try:
        with open("/proc/1/cgroup") as cgroup:
            text = cgroup.read()
    except (IOError, OSError):
        return None
    for word in CONTAINER_CGROUP_WORDS:
        if word in text:
            return word
    return None


def gpu_facts():
    facts = {"probed": True, "sys_platform": sys.platform, "library_path": library_path()}
    if not sys.platform.startswith("linux"):
        return facts
    try:
        import ctypes
    except ImportError as error:  # a Python built without libffi
        ctypes, facts["error"] = None, "ctypes does not import: {}".format(error)
    on_path = set(os.path.realpath(folder) for folder in facts["library_path"])
    if ctypes is not None:
        facts["libcuda_error"] = load_error(ctypes, "libcuda.so.1", ctypes.DEFAULT_MODE)
        facts["libcuda_path"] = mapped_path("libcuda.so") if facts["libcuda_error"] is None else None
    if os.path.isdir(WSL_LIBRARY_FOLDER):
        facts["wsl_library_folder"] = WSL_LIBRARY_FOLDER
        facts["wsl_library_folder_on_path"] = os.path.realpath(WSL_LIBRARY_FOLDER) in on_path
    facts["wheel_libraries"] = wheel_libraries(ctypes, on_path)
    facts["container"] = container()
    return facts


answer(gpu_facts())
