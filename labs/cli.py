"""`python -m labs` (console script `lab12`): list, run, diff, golden,
report, notebook, migrate.

    python -m labs list
    python -m labs run 12-1 [--impl v1|v2|both] [--dtype float32|float64] [--backend B] [--jobs N]
    python -m labs diff --all [--dtype float64] [--backend B] [--plot out.png]
    python -m labs golden check [LAB ...] [--backend B]
    python -m labs golden update [LAB ...] [--tf-specific]
    python -m labs report results/* [--out report.md] [--plot report.png]
    python -m labs notebook 12-1 | --all [-o DIR] [--execute]
    python -m labs migrate script.py [-o OUT | --in-place] [--check] [--run]

Exit status: 0 when everything agrees, 1 when a check fails, 2 for bad
input (unknown lab, missing or corrupt golden, unreadable results).
"""

import argparse
import functools
import os
import sys

from compat.environment import BACKENDS

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _quiet_tensorflow(verbose):
    """TensorFlow's C++ and Python log lines are noise for instructors."""
    if not verbose:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import logging

        logging.getLogger("tensorflow").setLevel(logging.ERROR)
        try:
            import absl.logging

            absl.logging.set_verbosity(absl.logging.ERROR)
        except ImportError:
            pass


def _labs(args):
    from labs.harness import registry

    if getattr(args, "all", False):
        if args.labs:
            raise ValueError("give lab ids or --all, not both")
        return registry.lab_ids()
    if not args.labs:
        raise ValueError(f"name a lab ({', '.join(registry.lab_ids())}) or "
                         f"use --all")
    for lab_id in args.labs:
        registry.get(lab_id)
    return tuple(args.labs)


def _stage(index, total, text):
    print(f"[{index}/{total}] {text}", flush=True)


def command_list(args):
    from labs.harness import registry

    print(f"{'lab':6} {'kind':9} {'iterations':>10}  title")
    for entry in registry.LABS:
        iterations = entry.iterations if entry.kind == "training" else "-"
        print(f"{entry.lab_id:6} {entry.kind:9} {iterations!s:>10}  "
              f"{entry.title}")
    return EXIT_OK


def command_run(args):
    from labs.harness.golden import write_atomically
    from labs.harness.pool import Job, default_processes, run_jobs

    impls = ("v1", "v2") if args.impl == "both" else (args.impl,)
    jobs = [Job(lab_id, impl, args.dtype,
                args.backend if impl == "v2" else None)
            for lab_id in _labs(args) for impl in impls]
    processes = default_processes(jobs) if args.jobs is None else args.jobs
    if processes < 1:
        raise ValueError(f"--jobs must be >= 1, got {processes}")
    if processes > 1:
        print(f"running {len(jobs)} labs, {processes} at a time", flush=True)
    progress = _print_job_progress if args.progress else None
    runs = run_jobs(jobs, processes, progress=progress,
                    initializer=functools.partial(_quiet_tensorflow,
                                                  args.verbose))
    for index, (job, result, seconds) in enumerate(runs, 1):
        _stage(index, len(jobs), str(job))
        final = result.final_record
        summary = [f"{seconds:.1f}s"]
        if result.iterations:
            summary.append(f"final loss {result.metrics['final_loss']:.6g}")
        if final is not None:
            summary.append(f"prediction {final.text[:60]!r}")
        summary += [f"{name} {value:.6g}" for name, value in
                    result.metrics.items() if name != "final_loss"]
        print("      " + ", ".join(summary), flush=True)
        if args.out:
            on = f"-{job.backend}" if job.backend else ""
            path = os.path.join(
                args.out, f"{job.lab_id}-{job.impl}{on}-{job.dtype}.json")
            write_atomically(path, result.to_json(indent=1))
            print(f"      written {path}")
    return EXIT_OK


def _print_job_progress(job, iteration, loss, text):
    from labs.harness.run import format_progress

    print(f"      {job.lab_id} {job.impl}: "
          f"{format_progress(iteration, loss, text)}", flush=True)


def command_diff(args):
    from labs.harness import diff

    lab_ids = _labs(args)
    reports = []
    for index, lab_id in enumerate(lab_ids, 1):
        _stage(index, len(lab_ids), f"lab {lab_id} {args.dtype}: running v1 "
               f"and v2")
        report = diff.diff_lab(lab_id, args.dtype, backend=args.backend)
        print(diff.render(report, rows=args.rows), flush=True)
        reports.append(report)
    failed = [r.lab_id for r in reports if not r.ok]
    print(f"verdict: {len(reports) - len(failed)}/{len(reports)} labs agree"
          + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    if args.plot:
        diff.plot(reports, args.plot)
        print(f"plot written to {args.plot}")
    return EXIT_FAILED if failed else EXIT_OK


def command_golden(args):
    from labs.harness import diff, golden, registry

    if args.action == "update":
        golden.refuse_in_ci()
        if args.backend not in (None, "tensorflow"):
            raise ValueError("golden update records TensorFlow's runs; "
                             "--backend applies to golden check only.")
    lab_ids = tuple(args.labs) or registry.lab_ids()
    for lab_id in lab_ids:
        registry.get(lab_id)
    if args.action == "check":
        return diff.check_goldens(lab_ids, stage=_stage, backend=args.backend)
    return diff.update_goldens(lab_ids, tf_specific=args.tf_specific,
                               stage=_stage)


def command_report(args):
    from labs.harness import report

    table = report.merge(report.read_summaries(args.directories))
    text = report.markdown(table)
    print(text)
    if args.out:
        from labs.harness.golden import write_atomically

        write_atomically(args.out, text)
        print(f"markdown written to {args.out}")
    if args.plot:
        report.plot(table, args.plot)
        print(f"plot written to {args.plot}")
    failed = any(not c["ok"] for checks in table.values()
                 for c in checks.values())
    return EXIT_FAILED if failed else EXIT_OK


def command_notebook(args):
    try:
        import nbformat

        from labs.lesson import notebook as lesson
    except ImportError as error:
        raise ValueError(f"notebook needs the migrate extra (pip install "
                         f"-e '.[migrate]'): {error}") from None
    from pathlib import Path

    from labs.harness.golden import refuse_in_ci, write_atomically

    refuse_in_ci("notebooks", lesson.REGENERATE)
    lab_ids = _labs(args)
    directory = Path(args.output)
    directory.mkdir(parents=True, exist_ok=True)
    failed = []
    for index, lab_id in enumerate(lab_ids, 1):
        path = directory / lesson.filename(lab_id)
        _stage(index, len(lab_ids), f"lab {lab_id}: {path}")
        notebook = lesson.build(lab_id)
        if args.execute:
            from labs.lesson.execute import execute

            execution = execute(notebook, directory, args.timeout)
            print(f"      {execution.describe()}", flush=True)
            if not execution.ok:
                print(f"      not written: {path}", flush=True)
                failed.append(lab_id)
                continue
        write_atomically(path, nbformat.writes(notebook) + "\n")
        print(f"      written {path}", flush=True)
    if failed:
        print(f"notebook: FAILED: {', '.join(failed)}")
    return EXIT_FAILED if failed else EXIT_OK


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m labs",
        description="The Lab 12 RNN course on today's TensorFlow: run the "
                    "labs in TF1 (v1) and Keras 3 (v2) form and check that "
                    "they agree with each other and with the goldens.")
    parser.add_argument("--verbose", action="store_true",
                        help="keep TensorFlow's log output")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("list", help="list the labs").set_defaults(
        func=command_list)

    def lab_arguments(sub):
        sub.add_argument("labs", nargs="*", metavar="LAB",
                         help="lab ids, e.g. 12-1 (see 'list')")
        sub.add_argument("--all", action="store_true", help="every lab")
        sub.add_argument("--dtype", choices=("float32", "float64"),
                         default="float32")

    def backend_argument(sub):
        sub.add_argument(
            "--backend", choices=BACKENDS,
            help="the Keras backend v2 trains on (default: Keras's "
                 "configured one, KERAS_BACKEND or keras.json); v1 is TF1 "
                 "and runs on TensorFlow")

    run = commands.add_parser("run", help="run labs, print their results")
    lab_arguments(run)
    backend_argument(run)
    run.add_argument("--impl", choices=("v1", "v2", "both"), default="both")
    run.add_argument("--progress", action="store_true",
                     help="print every recorded iteration")
    run.add_argument("--out", metavar="DIR",
                     help="also write each LabResult as JSON into DIR")
    run.add_argument("--jobs", type=int, metavar="N",
                     help="runs at once, each in its own interpreter "
                          "(default: one per CPU; 1 runs them here, in "
                          "order)")
    run.set_defaults(func=command_run)

    diff = commands.add_parser(
        "diff", help="v1 vs v2 vs golden, side by side, with a verdict")
    lab_arguments(diff)
    backend_argument(diff)
    diff.add_argument("--plot", metavar="FILE.png",
                      help="draw the loss trajectories, and per-array deviations of the sections labs (needs matplotlib)")
    diff.add_argument("--rows", type=int, default=12,
                      help="table rows per lab (default 12)")
    diff.set_defaults(func=command_diff)

    golden = commands.add_parser("golden", help="check or update goldens")
    golden.add_argument("action", choices=("check", "update"))
    golden.add_argument("labs", nargs="*", metavar="LAB")
    backend_argument(golden)
    golden.add_argument("--tf-specific", action="store_true",
                        help="update: write the goldens of this TensorFlow "
                             "version (golden/tfX.Y/) instead of the shared "
                             "ones")
    golden.set_defaults(func=command_golden)

    report = commands.add_parser(
        "report", help="merge the results of several test envs")
    report.add_argument("directories", nargs="+", metavar="DIR")
    report.add_argument("--out", metavar="FILE.md")
    report.add_argument("--plot", metavar="FILE.png")
    report.set_defaults(func=command_report)

    notebook = commands.add_parser(
        "notebook", help="write each lab as a teaching notebook (needs the "
                         "migrate extra)")
    notebook.add_argument("labs", nargs="*", metavar="LAB",
                          help="lab ids, e.g. 12-1 (see 'list')")
    notebook.add_argument("--all", action="store_true", help="every lab")
    notebook.add_argument("-o", "--output", metavar="DIR",
                          default="notebooks",
                          help="where to write them (default: notebooks)")
    notebook.add_argument("--execute", action="store_true",
                          help="run each in a fresh kernel first, so it "
                               "carries its outputs; a notebook that fails "
                               "is not written")
    notebook.add_argument("--timeout", type=int, default=600, metavar="S",
                          help="seconds per cell with --execute "
                               "(default 600)")
    notebook.set_defaults(func=command_notebook)

    try:
        from labs.migrate import cli as migrate_cli
    except ImportError:  # the migrate extra (libcst, nbformat) is optional
        migrate_cli = None
    if migrate_cli is not None:
        migrate_cli.add_parser(commands)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    _quiet_tensorflow(args.verbose)
    if args.command == "migrate":
        return args.func(args)
    from compat.environment import UnsupportedEnvironment
    from labs.harness.backend_worker import BackendWorkerError
    from labs.harness.golden import GoldenError

    try:
        return args.func(args)
    except (ValueError, GoldenError, FileNotFoundError,
            UnsupportedEnvironment, BackendWorkerError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
