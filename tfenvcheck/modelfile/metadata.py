"""What a model file records about itself, read without TensorFlow: its format, the Keras (and
backend) that saved it, the layers, the parameter count, the input and output shapes, its size.

Run as `python -m tfenvcheck.modelfile.metadata PATH` by `reading`, which treats a crash or a hang
as an answer too: it prints one JSON object, the metadata or {"error": "one line"}. The file may be
hostile (a zip bomb, a corrupt HDF5, a config of gigabytes): everything read is bounded in size and
nesting depth first.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

MAX_CONFIG_BYTES = 16 * 1024 * 1024  # a model's JSON config; real ones are kilobytes
MAX_WEIGHTS_BYTES = 256 * 1024 * 1024  # a .keras archive's weights read to count the parameters
MAX_SAVED_MODEL_BYTES = 512 * 1024 * 1024  # saved_model.pb (graphs with constants are large)
MAX_ARCHIVE_MEMBERS = 10_000
MAX_DEPTH = 64  # nested models in a config
MAX_MEMORY = 4 * 1024**3  # the reader's address space: a hostile file's allocations fail, not the machine


class UnreadableModel(Exception):
    """The file is not a model this reader knows, or breaks a limit: one line for the user."""


def read_metadata(path: Path) -> dict[str, Any]:
    if path.is_dir():
        found = _saved_model(path)
    elif not path.exists():
        raise UnreadableModel("no such file or folder")
    elif path.suffix.lower() == ".keras" or zipfile.is_zipfile(path):
        found = _keras_archive(path)
    else:
        found = _h5_file(path)
    found["size_bytes"] = _size(path)
    return found


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


# -- .h5 (Keras 2's format, still written by Keras 3 for a name ending in .h5) ---------------------


def _h5_file(path: Path) -> dict[str, Any]:
    import h5py

    try:
        h5 = h5py.File(path, "r")
    except OSError as error:
        raise UnreadableModel("not an HDF5 file ({})".format(_one_line(error))) from None
    with h5:
        attributes = h5.attrs
        if "model_config" not in attributes:
            weights_only = "layer_names" in attributes
            raise UnreadableModel(
                "an HDF5 file of weights only (no model_config): load it with model.load_weights"
                if weights_only
                else "an HDF5 file without a Keras model in it (no model_config attribute)"
            )
        config = _json(_h5_attribute(h5, "model_config"), "model_config")
        weights = h5.get("model_weights", h5)
        return dict(
            _described(config),
            format="h5",
            keras_version=_text(_h5_attribute(weights, "keras_version") or _h5_attribute(h5, "keras_version")),
            backend=_text(_h5_attribute(weights, "backend") or _h5_attribute(h5, "backend")),
            tensorflow_version=None,
            parameter_count=_h5_parameter_count(weights),
            compiled="training_config" in attributes,
        )


def _h5_attribute(group: Any, name: str) -> Any:
    """The attribute, read only once its stored size is known to be within the limit."""
    if name not in group.attrs:
        return None
    if group.attrs.get_id(name).get_storage_size() > MAX_CONFIG_BYTES:
        raise UnreadableModel("its {} attribute is over {} MiB".format(name, MAX_CONFIG_BYTES // 2**20))
    return group.attrs[name]


def _h5_parameter_count(group: Any) -> int:
    """The elements of every dataset under `group` (the weights): shapes only, no data is read."""
    import h5py

    count = 0

    def add(_name: str, item: Any) -> None:
        nonlocal count
        if isinstance(item, h5py.Dataset):
            count += int(item.size)

    group.visititems(add)
    return count


# -- .keras (a zip archive: metadata.json, config.json, model.weights.h5; Keras 2.12 and later) ---


def _keras_archive(path: Path) -> dict[str, Any]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableModel("not a Keras archive: not a zip file ({})".format(_one_line(error))) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise UnreadableModel("not a Keras archive: {} members in the zip file".format(len(members)))
        names = {member.filename for member in members}
        if "config.json" not in names:
            raise UnreadableModel("not a Keras archive: no config.json in the zip file")
        config = _json(_bounded_member(archive, "config.json", MAX_CONFIG_BYTES), "config.json")
        metadata = (
            _json(_bounded_member(archive, "metadata.json", MAX_CONFIG_BYTES), "metadata.json")
            if "metadata.json" in names
            else {}
        )
        parameters = None
        if "model.weights.h5" in names:
            parameters = _archived_parameter_count(archive)
        return dict(
            _described(config),
            format="keras",
            keras_version=_text(metadata.get("keras_version")) if isinstance(metadata, dict) else None,
            backend=None,
            tensorflow_version=None,
            parameter_count=parameters,
            compiled="compile_config" in config if isinstance(config, dict) else False,
        )


def _bounded_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """The member's bytes, never decompressing more than `limit` (a zip bomb's declared size may lie)."""
    try:
        with archive.open(name) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise UnreadableModel("cannot read {} in the archive ({})".format(name, _one_line(error))) from None
    if len(data) > limit:
        raise UnreadableModel("{} in the archive is over {} MiB uncompressed".format(name, limit // 2**20))
    return data


def _archived_parameter_count(archive: zipfile.ZipFile) -> int | None:
    """The parameters in model.weights.h5, when it is small enough to read into memory."""
    import h5py

    if archive.getinfo("model.weights.h5").file_size > MAX_WEIGHTS_BYTES:
        return None
    data = _bounded_member(archive, "model.weights.h5", MAX_WEIGHTS_BYTES)
    try:
        with h5py.File(io.BytesIO(data), "r") as weights:
            # The optimizer's variables are beside the layers' ("optimizer"), not parameters.
            return _h5_parameter_count(weights.get("layers", weights))
    except OSError:
        return None


# -- SavedModel (a folder: saved_model.pb, and keras_metadata.pb when Keras 2 saved it) ------------


def _saved_model(path: Path) -> dict[str, Any]:
    graph = path / "saved_model.pb"
    if not graph.is_file():
        raise UnreadableModel("a folder without saved_model.pb: not a SavedModel")
    if graph.stat().st_size > MAX_SAVED_MODEL_BYTES:
        raise UnreadableModel("saved_model.pb is over {} MiB".format(MAX_SAVED_MODEL_BYTES // 2**20))
    tensorflow_version = None
    for meta_graph in _fields(graph.read_bytes(), 2):  # SavedModel.meta_graphs
        for meta_info in _fields(meta_graph, 1):  # MetaGraphDef.meta_info_def
            for version in _fields(meta_info, 5):  # MetaInfoDef.tensorflow_version
                tensorflow_version = version.decode("utf-8", "replace")
    described: dict[str, Any] = {"model_class": None, "layers": [], "input_shapes": [], "output_shapes": []}
    keras_version = backend = None
    keras_metadata = path / "keras_metadata.pb"
    if keras_metadata.is_file() and keras_metadata.stat().st_size <= MAX_SAVED_MODEL_BYTES:
        root = _keras_root_metadata(keras_metadata.read_bytes())
        if root:
            keras_version, backend = _text(root.get("keras_version")), _text(root.get("backend"))
            if isinstance(root.get("config"), dict):
                described = _described({"class_name": root.get("class_name"), "config": root["config"]})
            if not described["input_shapes"] and _is_shape(root.get("build_input_shape")):
                described["input_shapes"] = [root["build_input_shape"]]
    return dict(
        described,
        format="savedmodel",
        keras_version=keras_version,
        backend=backend,
        tensorflow_version=tensorflow_version,
        parameter_count=None,
        compiled=None,
    )


def _keras_root_metadata(data: bytes) -> dict[str, Any] | None:
    """The JSON metadata of the root object in keras_metadata.pb (SavedMetadata.nodes[].metadata)."""
    for node in _fields(data, 1):
        paths = _fields(node, 3)
        if paths and paths[0] == b"root":
            for metadata in _fields(node, 5):
                value = _json(metadata, "keras_metadata.pb")
                return value if isinstance(value, dict) else None
    return None


def _fields(message: bytes, number: int) -> list[bytes]:
    """The length-delimited fields `number` of a protocol buffer message, read from its wire format
    (the few fields needed do not justify TensorFlow's generated classes)."""
    found, position, end = [], 0, len(message)
    try:
        while position < end:
            key, position = _varint(message, position)
            field_number, wire_type = key >> 3, key & 7
            if wire_type == 0:
                _, position = _varint(message, position)
            elif wire_type == 1:
                position += 8
            elif wire_type == 5:
                position += 4
            elif wire_type == 2:
                length, position = _varint(message, position)
                if field_number == number:
                    found.append(message[position : position + length])
                position += length
            else:
                raise UnreadableModel("saved_model.pb is not a valid protocol buffer")
    except IndexError:
        raise UnreadableModel("saved_model.pb is not a valid protocol buffer") from None
    return found


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
        shift += 7


# -- the config, whichever file it came from --------------------------------------------------------


def _json(data: Any, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8") if isinstance(data, bytes) else str(data))
    except (ValueError, RecursionError) as error:
        raise UnreadableModel("{} is not valid JSON ({})".format(what, _one_line(error))) from None


def _described(config: Any) -> dict[str, Any]:
    """The model's class, its layers (name and class), and its input and output shapes."""
    if not isinstance(config, dict):
        raise UnreadableModel("the model config is not a JSON object")
    layers = _layers_of(config)
    listed = [
        {
            "name": _text(layer.get("config", {}).get("name") or layer.get("name")),
            "class_name": _text(layer.get("class_name")),
        }
        for layer in layers
        if isinstance(layer, dict) and isinstance(layer.get("config", {}), dict)
    ]
    return {
        "model_class": _text(config.get("class_name")),
        "layers": listed,
        "layer_count": sum(1 for layer in listed if layer["class_name"] != "InputLayer"),
        "input_shapes": _input_shapes(config, 0),
        "output_shapes": _output_shapes(listed, layers),
    }


def _input_shapes(config: Any, depth: int) -> list[list[int | None]]:
    """Every InputLayer's shape (batch_shape in Keras 3, batch_input_shape in Keras 2), else a first
    layer's batch_input_shape, else a Sequential's build_input_shape."""
    if depth > MAX_DEPTH:
        raise UnreadableModel("the model config is nested over {} levels deep".format(MAX_DEPTH))
    if not isinstance(config, dict):
        return []
    inner = _object(config.get("config"))
    shapes: list[list[int | None]] = []
    for layer in _layers_of(config):
        if not isinstance(layer, dict) or not isinstance(layer.get("config"), dict):
            continue
        layer_config = layer["config"]
        shape = layer_config.get("batch_shape") or layer_config.get("batch_input_shape")
        if layer.get("class_name") == "InputLayer" or (shape and not shapes):
            if _is_shape(shape):
                shapes.append(list(shape))
        elif layer.get("class_name") in ("Sequential", "Functional", "Model") and not shapes:
            shapes.extend(_input_shapes(layer, depth + 1))
        if shapes and config.get("class_name") == "Sequential":
            break
    if not shapes and _is_shape(inner.get("build_input_shape")):
        shapes.append(list(inner["build_input_shape"]))
    return shapes


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _layers_of(config: dict[str, Any]) -> list[Any]:
    layers = _object(config.get("config")).get("layers")
    return layers if isinstance(layers, list) else []


def _output_shapes(listed: list[dict[str, Any]], layers: list[Any]) -> list[list[int | None]]:
    """The output shape where the config says it: a model ending in a Dense layer gives (None, units)."""
    if not layers or not isinstance(layers[-1], dict):
        return []
    units = _object(layers[-1].get("config")).get("units")
    if listed[-1]["class_name"] == "Dense" and isinstance(units, int):
        return [[None, units]]
    return []


def _is_shape(value: Any) -> bool:
    return isinstance(value, list) and all(d is None or isinstance(d, int) for d in value)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:200] or type(error).__name__


def bound_memory() -> None:
    """Cap this process's address space (POSIX): libhdf5 asked to allocate gigabytes raises MemoryError."""
    try:
        import resource
    except ImportError:  # Windows: the timeout still holds
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft > MAX_MEMORY:
        limit = MAX_MEMORY if hard == resource.RLIM_INFINITY else min(MAX_MEMORY, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main(argv: list[str]) -> int:
    bound_memory()
    try:
        found: dict[str, Any] = read_metadata(Path(argv[0]))
    except UnreadableModel as error:
        found = {"error": str(error)}
    except (OSError, MemoryError) as error:
        found = {"error": "cannot read it ({})".format(_one_line(error))}
    sys.stdout.write(json.dumps(found) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
