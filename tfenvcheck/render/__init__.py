"""Renderings of facts and results: they only present, they never decide."""
