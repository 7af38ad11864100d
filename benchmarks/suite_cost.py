"""Where the test suite's time goes, per tox env: installs, the processes
that run tests, each background child, the slowest test files.

    python -m benchmarks.suite_cost [ENV ...] [--output docs/suite-cost.md]
        [--section after] [--tox tox] [--keep DIR]

For every ENV (default: the README's test command's, tf221 and legacy), in
turn, `tox -e ENV` runs with ``$LAB12_SUITE_COST`` set, so the run's own
pytest process writes its cost record (tests/cost.py) when it ends; tox's
own closing line gives the env's setup (installs) and command seconds.
One env at a time, so each env has the machine to itself.

Output: the table on stdout (Markdown), and with ``--output`` the same
table written into that Markdown file between the markers
``<!-- suite-cost:SECTION -->`` and ``<!-- /suite-cost:SECTION -->``
(added at the end if absent), leaving the rest of the file as it is, so
one file can keep a "before" and an "after". ``--keep DIR`` keeps each
env's JSON record there.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ENVS = ("tf221", "legacy")
TOX_LINE = re.compile(r"^\s*(?P<env>\S+): OK [^(]*\((?P<total>[\d.]+)=setup\[(?P<setup>[\d.]+)\]"
                             r"\+cmd\[(?P<cmd>[\d.]+)\] seconds\)", re.MULTILINE)
FILES_SHOWN = 8


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def run_env(tox, env, record_path):
    """Runs `tox -e env`; returns (setup seconds, command seconds, wall seconds)."""
    environment = dict(os.environ, LAB12_SUITE_COST=str(record_path))
    started = time.monotonic()
    completed = subprocess.run([*tox, "-e", env], cwd=ROOT, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.monotonic() - started
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-5000:])
        raise SystemExit(f"suite_cost: tox -e {env} failed (exit {completed.returncode})")
    for match in TOX_LINE.finditer(completed.stdout):
        if match["env"] == env:
            return float(match["setup"]), float(match["cmd"]), wall
    raise SystemExit(f"suite_cost: tox -e {env} printed no 'OK (…=setup[…]+cmd[…] seconds)' line")


def by_file(tests):
    files = defaultdict(float)
    for node_id, seconds in tests.items():
        files[node_id.split("::")[0]] += seconds
    return sorted(files.items(), key=lambda item: -item[1])


def render(rows, command):
    """rows: (env, setup, cmd, wall, record). The Markdown of the module."""
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores ({cpu_model()}), "
             f"Python {platform.python_version()}, one env at a time: `{command}`.", "",
             "| env | tox wall s | installs s | pytest s | processes running tests | "
             "their CPU s | children's CPU s | all CPU s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for env, setup, _cmd, wall, record in rows:
        children = sum(child["cpu_seconds"] for child in record["children"])
        lines.append(f"| {env} | {wall:.0f} | {setup:.0f} | {record['wall_seconds']:.0f} | "
                     f"{record['workers']} | {record['pytest_cpu_seconds']:.0f} | "
                     f"{children:.0f} | {record['pytest_cpu_seconds'] + children:.0f} |")
    for env, _setup, _cmd, _wall, record in rows:
        lines += ["", f"**{env}**: background children (each runs once per env)", "",
                  "| child | wall s | CPU s | tests waited s |", "|---|---:|---:|---:|"]
        for child in sorted(record["children"], key=lambda child: -child["cpu_seconds"]):
            wall = "-" if child["wall_seconds"] is None else f"{child['wall_seconds']:.0f}"
            lines.append(f"| {child['name']} | {wall} | {child['cpu_seconds']:.0f} | "
                         f"{child['waited_seconds']:.0f} |")
        files = by_file(record["tests"])
        lines += ["", f"**{env}**: test files by seconds in tests (setup + call + teardown, "
                      "waits for children included), the {} largest of {}".format(
                          min(FILES_SHOWN, len(files)), len(files)), "",
                  "| file | s |", "|---|---:|"]
        lines += [f"| {name} | {seconds:.1f} |" for name, seconds in files[:FILES_SHOWN]]
    return "\n".join(lines) + "\n"


def write_section(path, section, text):
    begin, end = f"<!-- suite-cost:{section} -->", f"<!-- /suite-cost:{section} -->"
    path = Path(path)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{begin}\n{text}{end}"
    if begin in old and end in old:
        new = old[:old.index(begin)] + block + old[old.index(end) + len(end):]
    else:
        new = old + ("\n" if old and not old.endswith("\n") else "") + block + "\n"
    path.write_text(new, encoding="utf-8")


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.suite_cost", description=__doc__.split("\n\n")[0])
    parser.add_argument("envs", nargs="*", default=list(DEFAULT_ENVS), metavar="ENV",
                        help="tox envs, one at a time (default: %(default)s)")
    parser.add_argument("--output", help="Markdown file to write the table into")
    parser.add_argument("--section", default="after",
                        help="the marked section of --output to replace (default: %(default)s)")
    parser.add_argument("--tox", default="tox", help="the tox command (default: %(default)s)")
    parser.add_argument("--keep", help="folder to keep each env's JSON record in")
    arguments = parser.parse_args(argv)
    if not re.fullmatch(r"[A-Za-z0-9_-]+", arguments.section):
        parser.error(f"--section: letters, digits, '-' and '_' only, got {arguments.section!r}")
    return arguments


def main(argv=None):
    arguments = parse_arguments(argv)
    tox = arguments.tox.split()
    rows = []
    with tempfile.TemporaryDirectory(prefix="suite-cost-") as scratch:
        keep = Path(arguments.keep or scratch)
        keep.mkdir(parents=True, exist_ok=True)
        for number, env in enumerate(arguments.envs, 1):
            print(f"[{number}/{len(arguments.envs)}] tox -e {env} ...", file=sys.stderr, flush=True)
            record_path = keep / f"{env}.json"
            setup, cmd, wall = run_env(tox, env, record_path)
            if not record_path.exists():
                raise SystemExit(f"suite_cost: tox -e {env} wrote no cost record: does tox.ini "
                                 f"pass LAB12_SUITE_COST through (pass_env)?")
            record = json.loads(record_path.read_text())
            print(f"      {wall:.0f} s (installs {setup:.0f} s, pytest {record['wall_seconds']:.0f} s)",
                  file=sys.stderr, flush=True)
            rows.append((env, setup, cmd, wall, record))
    text = render(rows, f"python -m benchmarks.suite_cost {' '.join(arguments.envs)}")
    sys.stdout.write(text)
    if arguments.output:
        write_section(arguments.output, arguments.section, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
