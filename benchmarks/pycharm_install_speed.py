"""How much finding PyCharm installations adds to `check`: a home with three installations, their
config folders and their plugins (each a folder of jars, as the IDE unpacks them).

Goal: under 50 ms (median) for what `check` runs: every installation with its plugins read (the
facts), plus, when a PyCharm project is involved, the installations again without plugins (to
expand $APPLICATION_HOME_DIR$ in the SDK tables).

    python benchmarks/pycharm_install_speed.py [--runs 50] [--plugins 8] [--json]

The home is built in a temporary folder with the test suite's realistic trees (product-info.json,
build.txt, plugin jars written with zipfile). The first run is reported on its own and not counted
in the median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.helpers.pycharm_trees import (  # noqa: E402
    install_exam_plugin,
    install_plugin,
    make_config_dir,
    plugins_dir_path,
    write_installation,
)
from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT, LEGACY_LAYOUT  # noqa: E402
from tfenvcheck.pycharm.installations import application_homes, find_installations  # noqa: E402

GOAL_S = 0.050
# (folder under the home, product code, version, build, config folder, layout)
INSTALLATIONS = (
    (
        ".local/share/JetBrains/Toolbox/apps/pycharm-community",
        "PC",
        "2021.3.3",
        "213.7172.26",
        "PyCharmCE2021.3",
        CURRENT_LAYOUT,
    ),
    (
        ".local/share/JetBrains/Toolbox/apps/PyCharm-P/ch-0/222.3739.56",
        "PY",
        "2022.2.1",
        "222.3739.56",
        "PyCharm2022.2",
        CURRENT_LAYOUT,
    ),
    ("pycharm-community-2019.3.4", "PC", "2019.3.4", "193.6911.25", "PyCharmCE2019.3", LEGACY_LAYOUT),
)


def build_home(home: Path, plugins: int) -> None:
    for folder, code, version, build, config, layout in INSTALLATIONS:
        write_installation(home / folder, code, version, build)
        make_config_dir(home, "Linux", layout, config)
        where = plugins_dir_path(home, "Linux", layout, config)
        install_exam_plugin(where)
        for number in range(plugins - 1):
            install_plugin(
                where,
                "plugin-{}".format(number),
                "org.example.plugin{}".format(number),
                "Plugin {}".format(number),
                "1.0",
            )


def timed(function, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times[0], times[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--plugins", type=int, default=8, help="plugins installed for each installation")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        build_home(home, args.plugins)
        environ = {"HOME": str(home)}
        found = find_installations(home, environ, "Linux")
        assert [i.version for i in found.installations] == ["2022.2.1", "2021.3.3", "2019.3.4"], found
        assert all(len(i.plugins) == args.plugins for i in found.installations)

        def what_check_runs() -> None:
            find_installations(home, environ, "Linux")
            application_homes(home, environ, "Linux")

        first, times = timed(what_check_runs, args.runs)
        _, facts_only = timed(lambda: find_installations(home, environ, "Linux"), args.runs)
    results = {
        "installations": len(INSTALLATIONS),
        "plugins_each": args.plugins,
        "first_run_s": first,
        "median_s": statistics.median(times),
        "max_s": max(times),
        "facts_only_median_s": statistics.median(facts_only),
        "runs": args.runs,
        "goal_s": GOAL_S,
    }
    results["meets_goal"] = results["median_s"] < GOAL_S
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(
            "{installations} installations, {plugins_each} plugins each: median {ms:.1f} ms "
            "(first run {first:.1f} ms, max {max:.1f} ms; the facts alone {facts:.1f} ms) over {runs} runs; "
            "goal < {goal:.0f} ms: {verdict}".format(
                ms=results["median_s"] * 1000,
                first=first * 1000,
                max=results["max_s"] * 1000,
                facts=results["facts_only_median_s"] * 1000,
                goal=GOAL_S * 1000,
                verdict="met" if results["meets_goal"] else "NOT met",
                **results,
            )
        )
    return 0 if results["meets_goal"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
