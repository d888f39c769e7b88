"""How long a version in a specifier may be: packaging parses `numpy==999…` (5000 digits) fine, then
fails comparing it (Python refuses to make an int of more than 4300 digits), so the data files and
requirements are held to versions no release comes near."""

from __future__ import annotations

from packaging.specifiers import SpecifierSet

# The longest release on PyPI is far shorter ("2.16.0rc0+cu121.dev20240101" is 27 characters).
MAX_VERSION_LENGTH = 64


def too_long_version(specifier: SpecifierSet) -> str | None:
    """The first version in `specifier` longer than MAX_VERSION_LENGTH, shortened for a message."""
    for item in specifier:
        if len(item.version) > MAX_VERSION_LENGTH:
            return "{}... ({} characters; at most {})".format(item.version[:20], len(item.version), MAX_VERSION_LENGTH)
    return None
