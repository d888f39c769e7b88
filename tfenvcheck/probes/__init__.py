"""Probes gather facts: about the host (in tfenvcheck's own process) and about the target
interpreter and its TensorFlow (payload scripts run by the target in a subprocess)."""
