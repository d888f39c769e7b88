"""The one matching API of the registry, the import-error patterns and fix hints read from its entries."""

from __future__ import annotations

from dataclasses import replace

from tests.helpers.facts import target_facts
from tfenvcheck.checks.breakages import breakage_findings
from tfenvcheck.checks.tensorflow import keras3_hint, known_import_error
from tfenvcheck.registry.conditions import matching_reasons
from tfenvcheck.registry.confirm import CONFIRMED, NOT_REPRODUCED, ConfirmationResult
from tfenvcheck.registry.fix_text import fix_hint, fix_summaries
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.registry.match import CONFIRM_ALL, Match, applicable, confirm_matches, match
from tfenvcheck.report.view import automatic_fix_ids

REGISTRY = load_registry()
BY_ID = {b.id: b for b in REGISTRY}


def test_a_match_holds_the_reasons_seen_in_condition_order():
    protobuf4 = target_facts(tensorflow="2.10.0", packages={"protobuf": "4.21.1"})
    found = {m.breakage.id: m for m in match(REGISTRY, protobuf4)}
    assert found["protobuf4-descriptors"].reasons == (
        "TensorFlow 2.10.0",
        "protobuf 4.21.1",
        "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION not set",
    )
    assert found["protobuf4-descriptors"].confirmation is None and found["protobuf4-descriptors"].reportable


def test_a_condition_that_does_not_hold_stops_the_match():
    pinned = target_facts(tensorflow="2.10.0", packages={"protobuf": "3.20.3"})
    assert matching_reasons(BY_ID["protobuf4-descriptors"].when, pinned) is None
    assert matching_reasons(BY_ID["no-avx"].when, target_facts(tensorflow="2.10.0")) is None


def test_an_entry_reported_when_confirmed_needs_its_confirmation():
    entry = next(b for b in REGISTRY if b.report == "when-confirmed")
    confirmed = ConfirmationResult(entry.id, CONFIRMED, "seen", 0.1)
    assert not Match(entry, ()).reportable
    assert Match(entry, (), confirmed).reportable and Match(entry, (), confirmed).confirmed
    assert not Match(entry, (), ConfirmationResult(entry.id, NOT_REPRODUCED, "", 0.1)).reportable


def test_findings_come_from_matches_without_running_anything():
    found = match(REGISTRY, target_facts(tensorflow="2.10.0", packages={"protobuf": "4.21.1"}))
    findings = {f.id: f for f in breakage_findings(found, [], len(REGISTRY))}
    finding = findings["breakage.protobuf4-descriptors"]
    assert finding.title.endswith("(likely; --confirm can reproduce it)")
    assert finding.hint.startswith("you would see: TypeError: Descriptors cannot not be created directly. Fix: ")
    not_reproduced = [
        Match(m.breakage, m.reasons, ConfirmationResult(m.breakage.id, NOT_REPRODUCED, "ran", 1.0)) for m in found
    ]
    again = {f.id: f for f in breakage_findings(not_reproduced, [], len(REGISTRY), confirm_ran=True)}
    assert again["breakage.protobuf4-descriptors"].status == "warn"
    assert again["breakage.protobuf4-descriptors"].seen.endswith("-> not-reproduced: ran")
    assert [f.id for f in breakage_findings([], [], 3)] == ["breakage.none"]


def test_import_errors_are_recognised_from_the_entries():
    cases = {
        "TypeError: Descriptors cannot not be created directly.": "protobuf4-descriptors",
        "ImportError: cannot import name 'builder' from 'google.protobuf.internal'": "protobuf-too-old-builder",
        "AttributeError: _ARRAY_API not found": "numpy2-abi",
        "TypeError: this __dict__ descriptor does not support '_DictWrapper' objects": "typing-ext-dictwrapper",
        "AlreadyExistsError: Another metric with the same name already exists.": "keras27-with-tf26",
        "import tensorflow crashed with signal 4 (SIGILL: illegal instruction)": "no-avx",
        "ImportError: Could not find the DLL(s) 'msvcp140_1.dll'.": "msvc-runtime",
    }
    for summary, fix_id in cases.items():
        assert known_import_error(summary, REGISTRY)[0] == fix_id, summary
    assert known_import_error("ModuleNotFoundError: No module named 'tensorflow.x'", REGISTRY) is None
    assert known_import_error("AttributeError: _ARRAY_API not found", []) is None


def test_hints_are_written_from_the_fix_actions():
    assert known_import_error("TypeError: Descriptors cannot not be created directly.", REGISTRY)[1] == (
        "protobuf 4 breaks TensorFlow releases built with older generated code: "
        "`tfenvcheck fix protobuf4-descriptors` pins protobuf==3.20.3"
    )
    assert fix_hint(BY_ID["numpy2-abi"]) == "`tfenvcheck fix numpy2-abi` installs numpy<2"
    assert keras3_hint(target_facts(tensorflow="2.16.1"), REGISTRY) == (
        "`tfenvcheck fix keras3-legacy-code` installs tf-keras~=2.16.0 and sets TF_USE_LEGACY_KERAS=1 "
        "for this interpreter; or use TensorFlow < 2.16"
    )


def test_the_report_knows_automatic_fixes_from_its_data():
    fixes = fix_summaries(REGISTRY, {"numpy2-abi", "no-avx", "pin-profile-packages"})
    assert set(fixes) == {"numpy2-abi", "no-avx"}
    assert automatic_fix_ids({"fixes": fixes}) == {"numpy2-abi"}
    assert automatic_fix_ids({}) == set()


def test_applicable_lists_what_fixes_applicable_shows():
    rows = applicable(REGISTRY, target_facts(tensorflow="2.10.0", packages={"protobuf": "4.21.1"}))
    assert [(b.id, r) for b, r in rows] == [
        ("pil-scipy-missing", ["TensorFlow 2.10.0", "pillow, scipy not installed"]),
        (
            "protobuf4-descriptors",
            ["TensorFlow 2.10.0", "protobuf 4.21.1", "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION not set"],
        ),
    ]
    # The model-file entries match TensorFlow 2.10's facts too, but a fix of the environment is not theirs.
    tf210 = target_facts(tensorflow="2.10.0")
    assert {"keras-format-in-old-keras", "keras3-h5-in-keras2"} <= {m.breakage.id for m in match(REGISTRY, tf210)}


def test_an_explain_only_entry_is_never_reported_by_check_nor_confirmed():
    """A model saved by another Keras fails to load in any TensorFlow 2.x of Keras 2: a fact about
    the file, not a breakage of this environment, so check must not fail a healthy stack on it."""
    entry = BY_ID["keras3-h5-in-keras2"]
    assert entry.report == "explain-only"
    found = Match(entry, ("TensorFlow 2.5.0",))
    assert not found.reportable
    confirmed = replace(
        found, confirmation=ConfirmationResult(entry.id, CONFIRMED, "ValueError: Unrecognized keyword arguments", 1.0)
    )
    assert not confirmed.reportable
    assert confirm_matches([found], "/nonexistent/python", CONFIRM_ALL) == [found]  # no snippet was run
