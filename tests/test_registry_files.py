"""Every shipped known-breakage file validates, and the loader refuses bad ones naming the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tfenvcheck.registry.loader import RegistryError, builtin_registry_files, load_breakage, load_registry

# The known breakages tfenvcheck must ship, one file each in fixes/: a file removed by mistake fails here.
CATALOG_IDS = {
    "apple-clt-linecache",
    "protobuf4-descriptors",
    "protobuf-too-old-builder",
    "numpy120-symbolic-lstm",
    "h5py3-str-decode",
    "keras-format-in-old-keras",
    "compiled-h5-in-keras3",
    "keras3-h5-in-keras2",
    "no-avx",
    "cuda-mismatch",
    "windows-gpu-after-2.10",
    "apple-silicon",
    "macos-ssl-certs",
    "keras3-legacy-code",
    "numpy2-abi",
    "numpy124-object-alias",
    "keras27-with-tf26",
    "typing-ext-dictwrapper",
    "pil-scipy-missing",
    "msvc-runtime",
    "python-unsupported",
    "tensorflow-gpu-removed",
    "several-tf-dists",
    "numpy-abi-downgrade",
    "no-avx2-tf240",
    "no-cuda-drivers",
    "keras3-input-length",
    "keras3-no-preprocessing-text",
    "keras3-save-extension",
    "keras3-kerastensor-tf-function",
    "tfhub-keraslayer-keras3",
    "transformers-keras3",
    "pip-cuda-libs-not-found",
    "cudnn-runtime-older",
    "gpu-compute-capability-unsupported",
    "xla-ptxas-missing",
    "no-wheel-for-python",
    "metal-plugin-mismatch",
    "ml-dtypes-conflict",
    "protobuf-gencode-older",
    "protobuf-runtime-version-missing",
    "tensorflow-text-mismatch",
    "tensorflow-metadata-gencode",
}


@pytest.mark.parametrize("path", builtin_registry_files(), ids=lambda p: p.name)
def test_shipped_entry_validates(path):
    breakage = load_breakage(path)  # a RegistryError here names the file
    assert path.name == breakage.id + ".toml"
    assert breakage.symptom and breakage.fix


def test_every_catalog_row_has_an_entry():
    assert len(CATALOG_IDS) == 43  # the README's count
    assert {breakage.id for breakage in load_registry()} == CATALOG_IDS


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


GOOD = """
id = "demo"
title = "demo"
symptom = "Boom"
[when]
packages = { demo = ">=1" }
[[fix]]
kind = "pin"
requirements = ["demo<1"]
"""


@pytest.mark.parametrize(
    "change, message",
    [
        (('">=1"', '">=1x"'), "when.packages.demo: invalid version specifier '>=1x'"),
        (('kind = "pin"', 'kind = "reboot"'), "fix[0].kind: unknown action kind 'reboot'"),
        (("packages = ", "pakages = "), "when: unknown key 'pakages'"),
        (
            ('requirements = ["demo<1"]', 'requirements = ["demo<<1"]'),
            "fix[0].requirements: invalid requirement 'demo<<1'",
        ),
        (
            ('symptom = "Boom"', 'severity = "fatal"\nsymptom = "Boom"'),
            "severity: expected one of fail, warn, found 'fatal'",
        ),
        (('packages = { demo = ">=1" }', ""), "when: no condition given"),
        (("[[fix]]", '[confirm]\nsnippet = "import ("\nexpect = "x"\n[[fix]]'), "confirm.snippet: not valid Python"),
        (('id = "demo"', "id = demo"), "invalid TOML"),
    ],
)
def test_bad_entries_are_refused_with_file_and_place(tmp_path, change, message):
    path = write(tmp_path, "demo.toml", GOOD.replace(*change))
    with pytest.raises(RegistryError) as raised:
        load_breakage(path)
    # FILE: or FILE:LINE: where the value was found in the text.
    assert re.match(re.escape(str(path)) + r"(:\d+)?: ", str(raised.value)), raised.value
    assert message in str(raised.value)


def test_a_bad_value_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "demo.toml", GOOD.replace('">=1"', '">=1x"'))
    with pytest.raises(RegistryError) as raised:
        load_breakage(path)
    assert str(raised.value) == "{}:6: when.packages.demo: invalid version specifier '>=1x'".format(path)


def test_duplicate_ids_are_refused(tmp_path):
    write(tmp_path, "mine.toml", GOOD.replace('id = "demo"', 'id = "no-avx"'))
    with pytest.raises(RegistryError, match="id 'no-avx' is already used by"):
        load_registry([tmp_path])


def test_extra_directory_adds_entries(tmp_path):
    write(tmp_path, "demo.toml", GOOD)
    ids = [breakage.id for breakage in load_registry([tmp_path])]
    assert "demo" in ids and "no-avx" in ids
