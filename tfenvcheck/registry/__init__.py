"""The known-breakages registry: data files under fixes/ (one per breakage), their loading and
validation, matching them against a target's facts, and live confirmation in the target."""
