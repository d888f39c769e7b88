"""`tfenvcheck create-env`: build a working exam environment from a profile.

interpreters.py finds and judges base interpreters, installer.py installs requirements resolved as
of the profile's guide date (uv, or pip as the fallback), pins.py asks the known-breakages registry
what the new environment still needs, build.py makes sure an unfinished environment leaves nothing
behind, and command.py wires them to the command line.
"""
