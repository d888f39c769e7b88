"""`check --resolve`: what pip would install today for the target's Python, judged against the registry.

`uv_compile` asks the package registry (through uv's resolver, installing nothing) which
distributions the requirements resolve to for the target interpreter; `judge` turns that answer into
the facts a new venv of that Python would have and into findings, with the registry's one matching API.
"""
