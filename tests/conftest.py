"""The fixtures shared by the test modules: real TensorFlow stacks in cached virtual environments.

Helpers the test modules import (the CLI runner, pyenv interpreters, venvs, stand-ins) are in
tests/helpers; the venvs are cached as described there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import cached_venv

# The real stacks the integration tests judge. TF 2.0.0 installed today on Python 3.7 is broken by
# protobuf 4 (https://github.com/tensorflow/tensorflow/issues/56266): that is what the probe must report.
TF_CURRENT = ("3.11", ["tensorflow-cpu==2.21.0"])
TF_2_0_BROKEN = ("3.7", ["tensorflow==2.0.0"])
TF_2_5_HEALTHY = ("3.8", ["tensorflow==2.5.0"])


@pytest.fixture(scope="session")
def tf_current_python() -> Path:
    return cached_venv(*TF_CURRENT)


@pytest.fixture(scope="session")
def tf_2_0_broken_python() -> Path:
    return cached_venv(*TF_2_0_BROKEN)


@pytest.fixture(scope="session")
def tf_2_5_python() -> Path:
    return cached_venv(*TF_2_5_HEALTHY)


# TF 2.0.0 on Python 3.7 with its known breakages pinned away (protobuf 4, numpy >= 1.20 with LSTM,
# h5py 3): the oldest stack the bench workloads must train in.
TF_2_0_PINNED = ("3.7", ["tensorflow==2.0.0", "protobuf==3.20.3", "numpy==1.19.5", "h5py==2.10.0"])


@pytest.fixture(scope="session")
def tf_2_0_pinned_python() -> Path:
    return cached_venv(*TF_2_0_PINNED)


# The exam-2022-07 profile's stack (Python 3.8, TensorFlow 2.9): Keras 2.9, which reads .h5 and
# SavedModel but not .keras. numpy pinned as the profile does (numpy 1.24 removed np.object).
TF_2_9_EXAM = ("3.8", ["tensorflow==2.9.0", "numpy==1.22.4"])
# tf-keras beside tensorflow-cpu 2.21, installed without its dependencies (it requires the
# distribution "tensorflow", a second TensorFlow): its own venv, seeing TF_CURRENT's site-packages.
TF_KERAS_OVER_CURRENT = ("3.11", ["tf-keras~=2.21.0", "--no-deps"])


@pytest.fixture(scope="session")
def tf_2_9_python() -> Path:
    return cached_venv(*TF_2_9_EXAM)


@pytest.fixture(scope="session")
def tf_keras_python(tf_current_python: Path) -> Path:
    return seeing_site_packages_of(tf_current_python, cached_venv(*TF_KERAS_OVER_CURRENT))


def seeing_site_packages_of(base: Path, python: Path) -> Path:
    """`python`, a venv's, with `base`'s site-packages after its own on sys.path (a .pth file)."""
    base_site = next((base.parent.parent / "lib").glob("python3.*/site-packages"))
    own_site = next((python.parent.parent / "lib").glob("python3.*/site-packages"))
    (own_site / "tensorflow-cpu-from-base.pth").write_text(str(base_site) + "\n")
    return python


# TF-Hub as `pip install tensorflow==2.21.0 tensorflow-hub` installs it today (tensorflow-hub 0.16.1
# requires tf-keras, which pip takes at 2.21.0), over TF_CURRENT's tensorflow-cpu to save its download.
TF_HUB_OVER_CURRENT = ("3.11", ["tensorflow-hub==0.16.1", "tf-keras==2.21.0", "--no-deps"])


@pytest.fixture(scope="session")
def tf_hub_python(tf_current_python: Path) -> Path:
    return seeing_site_packages_of(tf_current_python, cached_venv(*TF_HUB_OVER_CURRENT))
