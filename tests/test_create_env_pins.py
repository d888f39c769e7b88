"""The registry's pins for a new environment: the profile's lines replaced by the pins resolved with
it, and the pins real venvs need (TensorFlow 2.0.0 pip-installed today; TensorFlow 2.21, whose
tf-keras pin names its minor version and goes in without dependencies)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfenvcheck.createenv.pins import NeededPin, needed_pins, with_pins
from tfenvcheck.profiles.loader import resolve_profile
from tfenvcheck.registry.loader import load_registry


def entry(breakage_id: str):
    return next(b for b in load_registry([]) if b.id == breakage_id)


def test_pins_replace_the_profiles_line_for_the_same_package() -> None:
    profile = resolve_profile("exam-2022-07")

    pins = [
        NeededPin(entry("numpy120-symbolic-lstm"), ("numpy 1.22.4",), ("NumPy==1.19.5",)),
        NeededPin(entry("h5py3-str-decode"), ("h5py 3.7.0",), ("h5py==2.10.0",)),
    ]
    alone = NeededPin(entry("keras3-legacy-code"), (), ("tf-keras~=2.9.0",), no_deps=True)
    merged = with_pins(profile.requires, [*pins, alone])
    assert "numpy==1.22.4" not in merged and merged[-2:] == ["NumPy==1.19.5", "h5py==2.10.0"]
    assert "tensorflow==2.9.0" in merged and len(merged) == len(profile.requires) + 1


@pytest.mark.slow
def test_a_pip_installed_tensorflow_2_0_needs_the_three_known_pins(tf_2_0_broken_python: Path) -> None:
    needed = {pin.breakage.id: pin for pin in needed_pins(tf_2_0_broken_python, load_registry([]))}
    assert {"protobuf4-descriptors", "numpy120-symbolic-lstm", "h5py3-str-decode"} <= set(needed)
    assert needed["protobuf4-descriptors"].requirements == ("protobuf==3.20.3",)
    assert any(seen.startswith("protobuf 4.") for seen in needed["protobuf4-descriptors"].seen)


@pytest.mark.slow
def test_a_placeholder_pin_without_dependencies_for_tensorflow_2_21(tf_current_python: Path) -> None:
    needed = [
        pin for pin in needed_pins(tf_current_python, load_registry([])) if pin.breakage.id == "keras3-legacy-code"
    ]
    assert [(pin.requirements, pin.no_deps) for pin in needed] == [(("tf-keras~=2.21.0",), True)]
