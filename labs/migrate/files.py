"""Which files to migrate, where each result goes, and writing it safely.

Inputs are ``.py`` and ``.ipynb`` files, or folders searched for them
(hidden folders, ``__pycache__`` and ``.ipynb_checkpoints`` skipped). With
``-o OUT``, one input file goes to the file OUT (or into OUT when that is a
folder); several inputs, or a folder, go into the folder OUT, keeping their
paths below the folder they were found in. Every problem with the plan
(a missing input, an unknown file type, two inputs for one output, an
existing output without ``--force``) is found before anything is written.

Writes are atomic: the new bytes go to a temporary file in the destination's
folder, which then replaces the destination in one ``os.replace``. A failure
at any point removes the temporary file and leaves the destination as it was.
"""

import contextlib
import dataclasses
import os
import pathlib
import tempfile

from labs.migrate.errors import MigrationError

SUFFIXES = (".py", ".ipynb")
_SKIPPED_FOLDERS = ("__pycache__", ".ipynb_checkpoints")


@dataclasses.dataclass(frozen=True)
class Job:
    source: pathlib.Path
    destination: pathlib.Path = None  # None: nothing is written (--check)


def plan(paths, output=None, in_place=False, force=False):
    """Return the Jobs for ``paths``, or raise MigrationError listing every problem."""
    problems = []
    found = []  # (file, path below its input folder, or None for a file input)
    for path in map(pathlib.Path, paths):
        if not path.exists():
            problems.append(f"{path}: no such file or folder")
        elif path.is_dir():
            found += [(file, file.relative_to(path)) for file in _search(path)]
        elif path.suffix not in SUFFIXES:
            problems.append(f"{path}: not a .py script or .ipynb notebook")
        else:
            found.append((path, None))
    if problems:
        raise MigrationError("; ".join(problems))

    if output is None:
        jobs = [Job(file, file if in_place else None) for file, _ in found]
    else:
        output = pathlib.Path(output)
        single_file = len(paths) == 1 and len(found) == 1 and found[0][1] is None
        if single_file and not output.is_dir():
            jobs = [Job(found[0][0], output)]
        else:
            jobs = [Job(file, output / (below or file.name)) for file, below in found]
    problems += _collisions(jobs)
    for job in jobs:
        if job.destination is None or job.destination == job.source:
            continue
        if job.destination.exists() and job.destination.resolve() == job.source.resolve():
            problems.append(f"{job.destination}: is the input itself; use --in-place to rewrite it")
        elif job.destination.exists() and not force:
            problems.append(f"{job.destination}: exists; pass --force to overwrite it")
        elif job.destination.is_dir():
            problems.append(f"{job.destination}: is a folder")
    if problems:
        raise MigrationError("; ".join(problems))
    return jobs


def _search(folder):
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(
            name for name in folders if not name.startswith(".") and name not in _SKIPPED_FOLDERS
        )
        for name in sorted(files):
            if name.endswith(SUFFIXES) and not name.startswith("."):
                yield pathlib.Path(root) / name


def _collisions(jobs):
    seen = {}
    problems = []
    for job in jobs:
        if job.destination is None:
            continue
        key = job.destination.resolve()
        if key in seen and seen[key] != job.source:
            problems.append(f"{job.destination}: both {seen[key]} and {job.source} would go there")
        seen.setdefault(key, job.source)
    return problems


def write_atomically(path, data):
    """Replace ``path``'s contents by ``data`` in one step; on failure leave it untouched.

    An existing file keeps its permission bits; a symlink's target is written.
    """
    path = pathlib.Path(path).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask
