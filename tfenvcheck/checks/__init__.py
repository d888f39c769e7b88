"""Checks turn facts into findings: small pure functions of (facts, profile), one module per subject.

They never print and never probe; `registry.run_checks` runs them all, `verdict` sums them up.
"""
