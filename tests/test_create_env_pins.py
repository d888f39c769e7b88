"""The registry's pins for a new environment: placeholders filled from the installed TensorFlow, the
profile's lines replaced by the pins, and the pins a real TensorFlow 2.0.0 venv (pip-installed
today) needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfenvcheck.createenv.pins import NeededPin, needed_pins, pin_requirements, with_pins
from tfenvcheck.profiles.loader import resolve_profile
from tfenvcheck.registry.loader import load_registry


def entry(breakage_id: str):
    return next(b for b in load_registry([]) if b.id == breakage_id)


def test_placeholders_are_filled_from_the_installed_tensorflow() -> None:
    keras3 = entry("keras3-legacy-code")
    assert "tf-keras~=2.16.0" in pin_requirements(keras3, {"tensorflow_minor": "2.16"})
    assert pin_requirements(keras3, {}) is None  # no TensorFlow, no pin to name
    assert pin_requirements(entry("h5py3-str-decode"), {}) == ("h5py==2.10.0",)


def test_pins_replace_the_profiles_line_for_the_same_package() -> None:
    profile = resolve_profile("exam-2022-07")

    pins = [NeededPin(entry("numpy120-symbolic-lstm"), ("numpy 1.22.4",), ("NumPy==1.19.5",)),
            NeededPin(entry("h5py3-str-decode"), ("h5py 3.7.0",), ("h5py==2.10.0",))]
    merged = with_pins(profile.requires, pins)
    assert "numpy==1.22.4" not in merged and merged[-2:] == ["NumPy==1.19.5", "h5py==2.10.0"]
    assert "tensorflow==2.9.0" in merged and len(merged) == len(profile.requires) + 1


@pytest.mark.slow
def test_a_pip_installed_tensorflow_2_0_needs_the_three_known_pins(tf_2_0_broken_python: Path) -> None:
    needed = {pin.breakage.id: pin for pin in needed_pins(tf_2_0_broken_python, load_registry([]))}
    assert {"protobuf4-descriptors", "numpy120-symbolic-lstm", "h5py3-str-decode"} <= set(needed)
    assert needed["protobuf4-descriptors"].requirements == ("protobuf==3.20.3",)
    assert any(seen.startswith("protobuf 4.") for seen in needed["protobuf4-descriptors"].seen)
