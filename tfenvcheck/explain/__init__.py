"""`explain`: which known breakages a text (a traceback, a console, a pip log) shows, best first.

reading: the text as lines, streamed, each cut to a length; patterns: the one RE2 engine; harmless:
the lines known to be harmless (harmless.toml); scan: one pass over the lines for every pattern;
ranking: the scan turned into diagnoses, judged against the target's facts when there is one;
document: the JSON document; diagnose: all of it in one call (`explain_lines`); passthrough: `run`.
"""
