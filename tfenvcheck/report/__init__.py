"""The readiness report: check findings, fix history and bench results in one HTML or Markdown page."""
