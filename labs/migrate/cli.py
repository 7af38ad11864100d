"""``python -m labs migrate``: run TF1 and Keras 2 course scripts and notebooks on TensorFlow 2.

Each ``.py`` script and ``.ipynb`` notebook (or every one found in a folder)
is classified. TF1 graph code has its TensorFlow imports pointed at
``compat.tf1``, the drop-in that serves ``tf.contrib.rnn``/``seq2seq``/
``layers``, ``tf.nn.rnn_cell`` and the TF1 Keras cells; stacks written
``MultiRNNCell([cell] * n)`` get one fresh cell per layer, as under TF 1.0.
TF2/Keras code stays on ``tensorflow``/``keras`` and gets the Keras 2 ->
Keras 3 rewrites (``lr=``, ``decay=``, input arguments, ``np_utils``,
``predict_classes``, ``fit_generator``, ``keras.preprocessing.text``, ...),
each doing what Keras 2 did. A file mixing both is reported. Everything else
stays byte for byte. A report lists every change and every construct that
could not be converted, with a fix.

Exit status: 0 done; 1 something could not be converted (unless
``--allow-partial``) or a ``--run`` failed; 2 an input could not be read,
parsed or written (its output is not written, an original never damaged).
"""

import argparse
import sys

_FORMATS = {".py": "script", ".ipynb": "notebook"}


def add_parser(subparsers):
    """Register ``migrate`` on an argparse subparsers object; ``args.func(args)`` runs it."""
    parser = subparsers.add_parser(
        "migrate",
        help="migrate TF1 and Keras 2 scripts and notebooks onto TensorFlow 2 and Keras 3",
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_arguments(parser)
    parser.set_defaults(func=run)
    return parser


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m labs migrate",
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_arguments(parser)
    return run(parser.parse_args(argv))


def _add_arguments(parser):
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".py or .ipynb files, or folders")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="where to write: a file for one input file, else a folder",
    )
    where.add_argument(
        "--in-place", action="store_true", help="rewrite the inputs (atomically)"
    )
    where.add_argument(
        "--check", action="store_true", help="dry run: print the unified diff, write nothing"
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing outputs")
    parser.add_argument(
        "--run",
        action="store_true",
        help="execute each migrated file (scripts with this Python, notebooks with nbclient) "
        "from the input's folder, and report success or failure",
    )
    parser.add_argument(
        "--allow-partial",
        action="store_true",
        help="exit 0 even when some constructs could not be converted",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        metavar="SECONDS",
        help="--run limit per script, or per notebook cell (default: %(default)s)",
    )


def run(args):
    """Carry out parsed ``migrate`` arguments; return the exit status."""
    from labs.migrate import files
    from labs.migrate.errors import MigrationError

    if args.timeout <= 0:
        print(f"migrate: error: --timeout must be positive, got {args.timeout}", file=sys.stderr)
        return 2
    try:
        jobs = files.plan(args.paths, args.output, args.in_place, args.force)
    except MigrationError as error:
        print(f"migrate: error: {error}", file=sys.stderr)
        return 2
    reports = [_process(job, args) for job in jobs]
    return _conclude(reports, args.allow_partial)


def _process(job, args):
    import importlib
    import pathlib
    import tempfile

    from labs.migrate import files
    from labs.migrate.errors import MigrationError
    from labs.migrate.report import FileReport, Status

    kind = importlib.import_module(f"labs.migrate.{_FORMATS[job.source.suffix]}")
    report = FileReport(str(job.source), str(job.destination) if job.destination else None)
    try:
        data = job.source.read_bytes()
        migrated = kind.migrate(data)
    except MigrationError as error:
        return _failed(report, str(error))
    except OSError as error:
        return _failed(report, f"cannot read it: {error.strerror or error}")

    report.changes, report.findings = migrated.changes, migrated.findings
    if not migrated.uses_tensorflow:
        report.status = Status.NOT_TENSORFLOW
    elif migrated.data is not data:
        report.status = Status.MIGRATED
    if args.check:
        if migrated.data is not data:
            _print_diff(kind, job.source, data, migrated.data)
    elif job.destination != job.source or migrated.data is not data:
        try:
            files.write_atomically(job.destination, migrated.data)
        except OSError as error:
            return _failed(report, f"cannot write {job.destination}: {error.strerror or error}")
    _print(report)
    if not (args.run and migrated.uses_tensorflow):
        return report

    print(f"  running {job.destination or job.source} ...", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        target = job.destination
        if target is None:
            target = pathlib.Path(scratch) / job.source.name
            target.write_bytes(migrated.data)
        report.run, executed = kind.run(target, job.source.parent.resolve(), args.timeout)
    if executed is not None and job.destination is not None:
        try:
            files.write_atomically(job.destination, executed)
        except OSError as error:
            report.run.ok = False
            report.run.detail += f"; cannot keep the fresh outputs: {error.strerror or error}"
    verdict = "succeeded" if report.run.ok else "FAILED"
    print(f"  run {verdict} in {report.run.seconds:.1f} s{report.run.detail}", flush=True)
    return report


def _failed(report, message):
    from labs.migrate.report import Status

    report.status, report.error = Status.ERROR, message
    report.changes, report.findings = [], []
    _print(report)
    return report


def _print(report):
    from labs.migrate.report import Status

    stream = sys.stderr if report.status is Status.ERROR else sys.stdout
    print("\n".join(report.render()), file=stream, flush=True)


def _print_diff(kind, path, before, after):
    import difflib

    lines = difflib.unified_diff(
        kind.readable_text(before).splitlines(keepends=True),
        kind.readable_text(after).splitlines(keepends=True),
        fromfile=f"{path}",
        tofile=f"{path} (migrated)",
    )
    sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in lines)
    sys.stdout.flush()


def _conclude(reports, allow_partial):
    from labs.migrate.report import Status

    count = {status: sum(r.status is status for r in reports) for status in Status}
    unconverted = sum(len(r.unconverted) for r in reports)
    failed_runs = sum(1 for r in reports if r.run is not None and not r.run.ok)
    summary = (
        f"{len(reports)} file(s): {count[Status.MIGRATED]} migrated, "
        f"{count[Status.UNCHANGED]} with nothing to change, "
        f"{count[Status.NOT_TENSORFLOW]} without TensorFlow, {count[Status.ERROR]} failed; "
        f"{unconverted} construct(s) not converted"
    )
    if failed_runs:
        summary += f"; {failed_runs} run(s) failed"
    print(summary, flush=True)
    if count[Status.ERROR]:
        return 2
    if (unconverted and not allow_partial) or failed_runs:
        return 1
    return 0
