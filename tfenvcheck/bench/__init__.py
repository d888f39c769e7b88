"""`tfenvcheck bench`: the tensorflow.org tutorials' training, timed in the target interpreter.

workloads.py (the tutorials as data) -> workloads_payload.py (run by the target: builds the models
and pipelines, times each step, streams JSON lines) via streaming_runner.py and runner.py (once per
device) -> measurement.py and flops.py (statistics, projection to the tutorial as written) ->
exam.py (what it means for a 5-hour exam) -> result_file.py (the saved JSON and its contract),
compare.py; command.py wires the subcommand.
"""
