"""The report as one self-contained HTML page: styles and charts inline, nothing fetched."""

from __future__ import annotations

from typing import Any

import jinja2

from tfenvcheck.report.view import report_view

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("tfenvcheck.report", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,  # a missing value is our bug: fail loudly, never render blanks
)


def render_report_html(document: dict[str, Any]) -> str:
    return _ENVIRONMENT.get_template("report.html.j2").render(v=report_view(document))
