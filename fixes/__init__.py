"""Known breakages, one TOML file each; shipped in the wheel as the package tfenvcheck.known_breakages."""
