"""Profiles: what an exam, a course or a project requires of an environment, kept as TOML data.

The exam profiles ship in `data/`; `--profile path.toml` loads a custom one and `--requirements`
turns a requirements file into one (or adds its lines to the chosen profile).
"""
