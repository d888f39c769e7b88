"""Read one of PyCharm's XML files safely, or say in one line why it cannot be read.

PyCharm never writes a DTD, so any <!DOCTYPE> is refused outright: entity expansion ("billion
laughs") and external entities or DTDs are never followed, and nothing outside the file is read.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree

from tfenvcheck.pycharm.issues import FILE_UNREADABLE, FILE_UNSAFE, issue

# PyCharm's files are a few kilobytes; a larger one is not worth parsing.
MAX_XML_BYTES = 8 * 2**20

# Byte-order marks under which NUL bytes are legitimate (UTF-16 or UTF-32 text).
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


class PyCharmFileError(Exception):
    """A PyCharm file that cannot be used; `issue` is the record describing why."""

    def __init__(self, issue_id: str, path: Path | str, reason: str) -> None:
        super().__init__("{}: {}".format(path, reason))
        self.issue = issue(issue_id, "{} {}".format(path, reason), path=str(path))


def parse_xml_file(path: Path) -> Element:
    """The root element of `path`; raises PyCharmFileError when it is unreadable or unsafe."""
    try:
        size = path.stat().st_size
        if size > MAX_XML_BYTES:
            raise PyCharmFileError(FILE_UNREADABLE, path, "is {} bytes, too large for a PyCharm file".format(size))
        data = path.read_bytes()
    except OSError as error:
        raise PyCharmFileError(FILE_UNREADABLE, path, "cannot be read: {}".format(error.strerror or error)) from None
    return parse_xml_bytes(data, path)


def parse_xml_bytes(data: bytes, path: Path | str) -> Element:
    """The root element of XML `data` read from `path` (a file, or a jar's member); raises PyCharmFileError."""
    if not data.strip():
        raise PyCharmFileError(FILE_UNREADABLE, path, "is empty")
    if b"\x00" in data[:4096] and not data.startswith(_WIDE_BOMS):
        raise PyCharmFileError(FILE_UNREADABLE, path, "holds binary data, not XML")
    try:
        return defusedxml.ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise PyCharmFileError(
            FILE_UNSAFE,
            path,
            "was refused: it has a <!DOCTYPE> declaration, which PyCharm never writes; "
            "its entities and external references were not followed",
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise PyCharmFileError(FILE_UNSAFE, path, "was refused: {} (unsafe XML)".format(type(error).__name__)) from None
    except (LookupError, UnicodeError) as error:  # an encoding Python lacks, or bytes not in the declared one
        raise PyCharmFileError(FILE_UNREADABLE, path, "cannot be decoded: {}".format(error)) from None
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        reason = str(error).split(":")[0]
        raise PyCharmFileError(
            FILE_UNREADABLE, path, "is not valid XML: {} at line {}, column {}".format(reason, line, column)
        ) from None
