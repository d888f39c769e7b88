"""The facts record: what the probes found about one target, typed once at the boundary.

`model` defines its shape (what the payloads answer, parsed into dataclasses); `gather` runs the
probes that fill it.
"""
