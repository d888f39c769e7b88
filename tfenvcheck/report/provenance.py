"""Where a saved document shown in a report came from: its file, when and by which tfenvcheck it was
made, for which interpreter, and on which machine, compared with the machine the report is about.

Any saved document with the envelope (documents.envelope) and a bench-style "fingerprint" ({"host":
{cpu, machine, physical_cores, logical_cores, memory_bytes, gpus}, "target": {python, python_version,
tensorflow}}, as tfenvcheck/bench/result_file.py writes it) gets the whole story; one without a
fingerprint gets its file, date and tool version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tfenvcheck.facts.model import HostFacts

# What tells one machine from another. CPU flags are left out: a cloud VM's flags change with the
# physical host it lands on, and the same VM is still the user's machine.
SAME_MACHINE_KEYS = ("cpu", "machine", "physical_cores", "logical_cores", "gpus")
# Total memory as the OS reports it moves by a few MiB between boots of the same machine.
MEMORY_TOLERANCE = 0.02


@dataclass(frozen=True)
class Provenance:
    """Where one saved document came from, in words, and whether it was made on another machine."""

    title: str  # what it is: "bench result", "rehearsal"
    file: str | None  # the file it was read from (None: made by this run)
    created: str
    tool_version: str
    target: str | None  # "Python 3.11.7 (/path/bin/python), TensorFlow 2.21.0"
    machine: str | None  # "AMD EPYC, 2 cores / 2 threads, 23.5 GiB, no GPU"
    machine_name: str | None  # "AMD EPYC", for headings
    elsewhere: bool  # its machine is not the one the report is about

    @property
    def line(self) -> str:
        """'Bench result read from F: made T by tfenvcheck V; for Python ..., TensorFlow ...; on M.'"""
        head = self.title[:1].upper() + self.title[1:] + (" read from {}".format(self.file) if self.file else "")
        parts = [
            "made {} by tfenvcheck {}".format(self.created, self.tool_version),
            "for {}".format(self.target) if self.target else None,
            "on {}".format(self.machine) if self.machine else None,
        ]
        return "{}: {}.".format(head, "; ".join(part for part in parts if part))

    @property
    def where(self) -> str:
        """Where its figures were measured, for a heading: "this machine" or "another machine (M)"."""
        if not self.elsewhere:
            return "this machine"
        return "another machine ({})".format(self.machine_name or "unknown CPU")

    @property
    def warning(self) -> str | None:
        if not self.elsewhere:
            return None
        return (
            "This {} was made on another machine ({}), not the one this report is about: "
            "its figures are that machine's.".format(self.title, self.machine or "unknown")
        )


def host_fingerprint_of(host: HostFacts) -> dict[str, Any]:
    """The machine identity of a check's host facts, in the shape bench result files record it."""
    return {
        "cpu": host.cpu.brand,
        "machine": host.cpu.machine,
        "physical_cores": host.cpu.physical_cores,
        "logical_cores": host.cpu.logical_cores,
        "memory_bytes": host.memory.total_bytes or None,
        "gpus": [gpu.name for gpu in host.nvidia.gpus],
    }


def same_machine(saved: dict[str, Any], here: dict[str, Any]) -> bool:
    """Whether two host fingerprints describe one machine (a figure missing from either is not held
    against it)."""
    for key in SAME_MACHINE_KEYS:
        if saved.get(key) is not None and here.get(key) is not None and saved[key] != here[key]:
            return False
    memory, here_memory = saved.get("memory_bytes"), here.get("memory_bytes")
    return not (memory and here_memory and abs(memory - here_memory) > MEMORY_TOLERANCE * here_memory)


def machine_text(host: dict[str, Any]) -> str:
    memory = host.get("memory_bytes")
    return "{}, {} cores / {} threads{}, {}".format(
        host.get("cpu") or "unknown CPU",
        host.get("physical_cores") or "?",
        host.get("logical_cores") or "?",
        ", {:.1f} GiB".format(memory / 2**30) if memory else "",
        ", ".join(host.get("gpus") or []) or "no GPU",
    )


def target_text(target: dict[str, Any]) -> str:
    return "Python {}{}, TensorFlow {}".format(
        target.get("python_version") or "?",
        " ({})".format(target["python"]) if target.get("python") else "",
        target.get("tensorflow") or "not importable",
    )


def provenance(title: str, document: dict[str, Any], file: str | None, here: HostFacts) -> Provenance:
    """Where `document` (read from `file`) came from, its machine compared with `here`."""
    fingerprint = document.get("fingerprint") or {}
    host, target = fingerprint.get("host"), fingerprint.get("target")
    return Provenance(
        title=title,
        file=file,
        created=document["created"],
        tool_version=document["tool"]["version"],
        target=target_text(target) if target else None,
        machine=machine_text(host) if host else None,
        machine_name=(host.get("cpu") or "unknown CPU") if host else None,
        elsewhere=host is not None and not same_machine(host, host_fingerprint_of(here)),
    )
