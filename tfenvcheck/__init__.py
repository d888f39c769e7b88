"""tfenvcheck: check, time and repair a TensorFlow environment before an exam, a course or a project."""

__version__ = "0.1.0"
