"""PyCharm itself, as the profile's guide asks for it: installed, one of the guide's versions, and
the exam's plugin installed and enabled (facts.pycharm_installations)."""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from tfenvcheck.checks.finding import FAIL, OK, SKIPPED, WARN, Finding
from tfenvcheck.facts.model import Facts, PyCharmInstallation, PyCharmInstallations
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.pycharm.installations import PYCHARM_CODES
from tfenvcheck.pycharm.plugins import EXAM_PLUGIN_NAME, is_exam_plugin

DOWNLOAD = "https://www.jetbrains.com/pycharm/download/other.html"
INSTALL_PLUGIN = (
    'in PyCharm open Settings (Preferences on macOS) > Plugins > Marketplace, search for "{}", '
    "click Install and restart PyCharm".format(EXAM_PLUGIN_NAME)
)
ENABLE_PLUGIN = (
    "in PyCharm open Settings (Preferences on macOS) > Plugins > Installed, tick {} and restart PyCharm".format(
        EXAM_PLUGIN_NAME
    )
)
# Troubles of the past, by release: advice with their dates, never a failure (both were mended).
HISTORY = {
    "2020.1": "PyCharm 2020.1 had no exam plugin from its release until 2020-04-30; candidates used 2019.3.4 "
    "meanwhile (https://github.com/tensorflow/tensorflow/issues/38382)",
    "2020.3": "the exam did not work in PyCharm 2020.3 when it came out in December 2020 "
    "(https://github.com/tensorflow/tensorflow/issues/45374); the guide of 2021-01-29 then asked for 2020.3",
}


def _release(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _version(version: str) -> Version:
    try:
        return Version(version)
    except InvalidVersion:
        return Version("0")


def version_named(version: str, profile: Profile) -> bool:
    """Whether `version` is one the profile's guide names: its release ('2021.3' for 2021.3.3), or
    for "latest" any version from the guide's year on."""
    for wanted in profile.pycharm_versions:
        if wanted == "latest":
            if profile.guide_date is None or _version(version) >= Version(str(profile.guide_date.year)):
                return True
        elif _release(version) == _release(wanted) and (wanted.count(".") < 2 or version == wanted):
            return True
    return False


def versions_named(profile: Profile) -> str:
    """'2021.3, or 2022 and later' for ["2021.3", "latest"]."""
    named = [
        "{} and later".format(profile.guide_date.year) if wanted == "latest" and profile.guide_date else wanted
        for wanted in profile.pycharm_versions
    ]
    return ", or ".join(named).replace("latest", "the latest")


def history_advice(installations: list[PyCharmInstallation]) -> str | None:
    releases = dict.fromkeys(_release(installation.version) for installation in installations)
    notes = [HISTORY[release] for release in releases if release in HISTORY]
    return "; ".join(notes) or None


def where_we_looked(facts: PyCharmInstallations) -> str:
    return "looked in " + ", ".join(place.path for place in facts.looked_in)


def _listing(installations: list[PyCharmInstallation]) -> str:
    return "; ".join("{} at {}".format(installation.label, installation.path) for installation in installations)


def installed_finding(found: PyCharmInstallations, pycharms: list[PyCharmInstallation], profile: Profile) -> Finding:
    if pycharms:
        return Finding(
            "pycharm.installed", OK, "PyCharm installed: {}".format(pycharms[0].label), seen=_listing(pycharms)
        )
    others = [i for i in found.installations if i.product_code not in PYCHARM_CODES]
    seen = where_we_looked(found) + ("; found only {}".format(_listing(others)) if others else "")
    if not profile.pycharm_versions:
        return Finding(
            "pycharm.installed", SKIPPED, "PyCharm: not found, and this profile does not ask for it", seen=seen
        )
    return Finding(
        "pycharm.installed",
        WARN,
        "PyCharm is not installed (the exam runs inside it)",
        seen=seen,
        expected="PyCharm {}".format(versions_named(profile)),
        hint="install PyCharm {} (Community is enough) from {}, start it once, then install the exam plugin: {}".format(
            versions_named(profile), DOWNLOAD, INSTALL_PLUGIN
        ),
    )


def version_finding(pycharms: list[PyCharmInstallation], named: list[PyCharmInstallation], profile: Profile) -> Finding:
    expected = "PyCharm {}, as the guide of {} says".format(versions_named(profile), profile.name)
    advice = history_advice(named or pycharms)
    if named:
        return Finding(
            "pycharm.version",
            OK,
            "PyCharm {} is a version the guide names".format(named[0].version),
            seen=_listing(named),
            expected=expected,
            hint=advice,
        )
    hint = "install PyCharm {} from {} (JetBrains Toolbox keeps several versions side by side)".format(
        versions_named(profile), DOWNLOAD
    )
    return Finding(
        "pycharm.version",
        FAIL,
        "PyCharm {} is not a version the guide names".format(", ".join(i.version for i in pycharms)),
        seen=_listing(pycharms),
        expected=expected,
        hint=hint + ("; " + advice if advice else ""),
    )


def plugin_finding(candidates: list[PyCharmInstallation]) -> Finding:
    for installation in candidates:
        for plugin in installation.plugins:
            if is_exam_plugin(plugin) and plugin.enabled:
                return Finding(
                    "pycharm.exam-plugin",
                    OK,
                    "exam plugin installed and enabled: {} {} in {}".format(
                        plugin.name, plugin.version or "", installation.label
                    ).replace("  ", " "),
                    seen=plugin.path,
                )
    disabled = [(i, p) for i in candidates for p in i.plugins if is_exam_plugin(p)]
    if disabled:
        installation, plugin = disabled[0]
        return Finding(
            "pycharm.exam-plugin",
            FAIL,
            "the exam plugin {} is disabled in {}".format(plugin.name, installation.label),
            seen="{} is listed in {}/disabled_plugins.txt".format(plugin.id, installation.config_dir),
            expected="the plugin enabled",
            hint=ENABLE_PLUGIN,
        )
    installation = candidates[0]
    if installation.config_dir is None:
        seen = "{} has never been started (no config folder {})".format(
            installation.label, installation.data_directory_name
        )
        hint = "start {} once, then {}".format(installation.label, INSTALL_PLUGIN)
    else:
        names = ", ".join(plugin.name for plugin in installation.plugins) or "none"
        seen = "plugins installed in {}: {}".format(installation.plugins_dir, names)
        hint = INSTALL_PLUGIN
    advice = history_advice([installation])
    return Finding(
        "pycharm.exam-plugin",
        FAIL,
        'the exam plugin "{}" is not installed in {}'.format(EXAM_PLUGIN_NAME, installation.label),
        seen=seen,
        expected="the {} plugin installed and enabled".format(EXAM_PLUGIN_NAME),
        hint=hint + ("; " + advice if advice else ""),
    )


def unreadable_finding(candidates: list[PyCharmInstallation]) -> list[Finding]:
    problems = [found["message"] for installation in candidates for found in installation.issues]
    if not problems:
        return []
    return [
        Finding(
            "pycharm.unreadable",
            WARN,
            "{} PyCharm file{} could not be read".format(len(problems), "" if len(problems) == 1 else "s"),
            seen="; ".join(problems[:5]) + ("; ..." if len(problems) > 5 else ""),
            hint="a damaged plugin is best removed and installed again in Settings > Plugins",
        )
    ]


def check_pycharm_installation(facts: Facts, profile: Profile) -> list[Finding]:
    found = facts.pycharm_installations
    if not found.probed:
        return [Finding("pycharm.installed", SKIPPED, "PyCharm installations: not looked for in these facts")]
    pycharms = [i for i in found.installations if i.product_code in PYCHARM_CODES]
    findings = [installed_finding(found, pycharms, profile)]
    if not pycharms or not profile.pycharm_versions:
        return findings
    named = [installation for installation in pycharms if version_named(installation.version, profile)]
    findings.append(version_finding(pycharms, named, profile))
    candidates = named or pycharms
    findings.append(plugin_finding(candidates))
    return findings + unreadable_finding(candidates)
