"""`tfenvcheck bench`: the tensorflow.org tutorials' training, timed in the target interpreter.

workloads.py (the tutorials as data) -> workloads_payload.py (run by the target: builds the models
and pipelines, times each step, streams JSON lines) via streaming_runner.py and runner.py (once per
device; sampling.py decides when --quick has sampled enough, machine_load.py watches the rest of
the machine) -> measurement.py and flops.py (statistics, projection to the tutorial as written;
projection.py and intervals.py give it its 95% prediction interval) ->
exam.py (what it means for a 5-hour exam) -> result_file.py (the saved JSON and its contract),
compare.py; command.py wires the subcommand.
"""
