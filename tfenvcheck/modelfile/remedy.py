"""What to do when the model does not load: the diagnosis (explain's matcher on the error) and the
ways to a file the target reads."""

from __future__ import annotations

from typing import Any

from packaging.utils import canonicalize_name

from tfenvcheck.explain.diagnose import explain_lines
from tfenvcheck.facts.model import Facts
from tfenvcheck.modelfile.loading import LoadResult
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.fix_text import fix_hint
from tfenvcheck.versions import TENSORFLOW_DISTRIBUTIONS, parse_version


def diagnoses(load: LoadResult, breakages: list[Breakage], facts: Facts) -> list[dict[str, Any]]:
    """The known breakages the load error shows, best first, judged against the target's facts."""
    message = (load.error or {}).get("message") or ""
    explanation = explain_lines(message.splitlines(), breakages, lambda _entries: facts)
    return [
        {
            "id": match.breakage.id,
            "title": match.breakage.title,
            "applies": match.applies,
            "fix": fix_hint(match.breakage, facts),
        }
        for match in (diagnosis.best for diagnosis in explanation.diagnoses)
    ]


def training_line(load: LoadResult, profile: Profile | None) -> str:
    """The pip line that trains with the target's TensorFlow in the notebook: the profile's pins, else
    the target's own TensorFlow version."""
    if profile is not None:
        pins = [str(r) for r in profile.requires if canonicalize_name(r.name) in TENSORFLOW_DISTRIBUTIONS]
        if pins:
            python = (
                ", on a Python {} as the profile {} says".format(profile.python, profile.name) if profile.python else ""
            )
            return "pip install {}{}".format(" ".join(pins), python)
    return "pip install tensorflow=={}".format(load.tensorflow_version)


def remedies(load: LoadResult, profile: Profile | None) -> list[str]:
    if load.loaded:
        return []
    train = (
        "Train the model with the target's TensorFlow in the notebook ({}) and save it there with "
        'model.save("model.h5").'.format(training_line(load, profile))
    )
    keras = parse_version(load.keras_version)
    if keras is not None and keras.major < 3:
        # Measured: weights saved by tf-keras 2.21 load into Keras 2.9, its whole .h5 does not.
        resave = (
            "Or move only the weights: in the training environment, with tf-keras (TF_USE_LEGACY_KERAS=1), "
            'model.save_weights("weights.h5"); here, build the same model, model.load_weights("weights.h5") '
            "and save it with this TensorFlow."
        )
    else:
        resave = 'Or save it again in the training environment as a .keras file (model.save("model.keras")).'
    return [train, resave + " Then check the new file with `tfenvcheck model FILE`."]
