"""``python -m labs migrate``: outputs, refusals, atomic writes, exit status, --check, --run."""

import os
import pathlib
import subprocess
import sys

import pytest

from labs.migrate import files

TF1 = "import tensorflow as tf\nsess = tf.Session()  # TF1 only\n"
MIGRATED = "import compat.tf1 as tf\nsess = tf.Session()  # TF1 only\n"
PARTIAL = TF1 + "y = tf.contrib.slim.fully_connected(x, 3)\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def snapshot(folder):
    return {path.relative_to(folder): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_one_input_writes_the_output_file_and_reports(tmp_path, cli):
    source = write(tmp_path / "lab.py", TF1)
    status, out, err = cli(source, "-o", tmp_path / "new" / "lab_tf2.py")
    assert status == 0, err
    assert (tmp_path / "new" / "lab_tf2.py").read_text() == MIGRATED
    assert source.read_text() == TF1
    assert "line 1: `import tensorflow as tf` -> `import compat.tf1 as tf`" in out
    assert "1 file(s): 1 migrated" in out


def test_several_inputs_and_folders_go_into_the_output_folder(tmp_path, cli):
    course = tmp_path / "course"
    write(course / "a.py", TF1)
    write(course / "sub" / "b.py", "import numpy as np\n")
    write(course / ".ipynb_checkpoints" / "a-checkpoint.py", TF1)
    write(course / "data.csv", "1,2\n")
    single = write(tmp_path / "c.py", TF1)
    status, out, _ = cli(course, single, "-o", tmp_path / "out")
    assert status == 0
    assert snapshot(tmp_path / "out") == {
        pathlib.Path("a.py"): MIGRATED.encode(),
        pathlib.Path("sub/b.py"): b"import numpy as np\n",
        pathlib.Path("c.py"): MIGRATED.encode(),
    }
    assert "b.py: does not use TensorFlow; left untouched" in out


def test_existing_output_is_refused_without_force_and_nothing_is_written(tmp_path, cli):
    write(tmp_path / "a.py", TF1)
    write(tmp_path / "b.py", TF1)
    write(tmp_path / "out" / "b.py", "keep me\n")
    status, _, err = cli(tmp_path / "a.py", tmp_path / "b.py", "-o", tmp_path / "out")
    assert status == 2
    assert "exists; pass --force to overwrite it" in err
    assert snapshot(tmp_path / "out") == {pathlib.Path("b.py"): b"keep me\n"}

    status, _, _ = cli(tmp_path / "a.py", tmp_path / "b.py", "-o", tmp_path / "out", "--force")
    assert status == 0 and (tmp_path / "out" / "b.py").read_text() == MIGRATED


def test_two_inputs_for_one_output_are_refused(tmp_path, cli):
    write(tmp_path / "x" / "lab.py", TF1)
    write(tmp_path / "y" / "lab.py", TF1)
    status, _, err = cli(tmp_path / "x" / "lab.py", tmp_path / "y" / "lab.py", "-o", tmp_path / "out")
    assert status == 2 and "would go there" in err
    assert not (tmp_path / "out").exists()


def test_missing_path_and_unknown_type_are_named_before_anything_is_written(tmp_path, cli):
    write(tmp_path / "ok.py", TF1)
    write(tmp_path / "notes.txt", "x")
    status, out, err = cli(tmp_path / "ok.py", tmp_path / "gone.py", tmp_path / "notes.txt", "-o", tmp_path / "out")
    assert status == 2
    assert f"{tmp_path / 'gone.py'}: no such file or folder" in err
    assert "notes.txt: not a .py script or .ipynb notebook" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("import tensorflow as tf\nprint tf.__version__\n", "line 2: Python 2 syntax: the Python 2 print statement"),
        (b"import tensorflow as tf\ns = '\xe9'\n", "not valid utf-8 text (byte 0xe9 at line 2, column 6)"),
    ],
)
def test_unparsable_input_gets_a_clear_message_and_no_output(tmp_path, cli, content, message):
    source = write(tmp_path / "lab.py", content)
    before = source.read_bytes()
    status, out, err = cli(source, "-o", tmp_path / "out.py")
    assert status == 2 and message in err
    assert not (tmp_path / "out.py").exists()
    status, _, err = cli(source, "--in-place")
    assert status == 2 and message in err and source.read_bytes() == before


def test_corrupt_notebook_is_refused_and_kept(tmp_path, cli):
    source = write(tmp_path / "lab.ipynb", '{"cells": [')
    status, _, err = cli(source, "--in-place")
    assert status == 2 and "not a readable Jupyter notebook" in err
    assert source.read_text() == '{"cells": ['
    assert snapshot(tmp_path) == {pathlib.Path("lab.ipynb"): b'{"cells": ['}


def test_in_place_rewrites_atomically_and_keeps_permissions(tmp_path, cli):
    source = write(tmp_path / "lab.py", TF1)
    source.chmod(0o751)
    status, _, _ = cli(source, "--in-place")
    assert status == 0 and source.read_text() == MIGRATED
    assert source.stat().st_mode & 0o777 == 0o751
    assert snapshot(tmp_path) == {pathlib.Path("lab.py"): MIGRATED.encode()}


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failure_mid_write_leaves_the_original_and_no_temporary_file(tmp_path, cli, monkeypatch, failing):
    source = write(tmp_path / "lab.py", TF1)

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, failing, fail)
    status, _, err = cli(source, "--in-place")
    assert status == 2
    assert "cannot write" in err and "No space left on device" in err
    assert snapshot(tmp_path) == {pathlib.Path("lab.py"): TF1.encode()}


def test_check_prints_the_diff_and_writes_nothing(tmp_path, cli):
    source = write(tmp_path / "lab.py", TF1)
    status, out, _ = cli(source, "--check")
    assert status == 0
    assert f"--- {source}\n+++ {source} (migrated)\n" in out
    assert "-import tensorflow as tf\n+import compat.tf1 as tf\n" in out
    assert snapshot(tmp_path) == {pathlib.Path("lab.py"): TF1.encode()}


def test_unconverted_constructs_exit_1_unless_partial_is_allowed(tmp_path, cli):
    source = write(tmp_path / "lab.py", PARTIAL)
    status, out, _ = cli(source, "-o", tmp_path / "out.py")
    assert status == 1
    assert "line 3: not converted: `tf.contrib.slim`" in out
    assert "1 construct(s) not converted" in out
    assert (tmp_path / "out.py").read_text() == PARTIAL.replace("import tensorflow", "import compat.tf1")

    status, _, _ = cli(source, "-o", tmp_path / "out2.py", "--allow-partial")
    assert status == 0


def test_nothing_to_change_is_reported_and_not_rewritten(tmp_path, cli):
    source = write(tmp_path / "lab.py", MIGRATED)
    modified = source.stat().st_mtime_ns
    status, out, _ = cli(source, "--in-place")
    assert status == 0 and "nothing to change" in out
    assert source.stat().st_mtime_ns == modified


# Scripts that leave before their TensorFlow code: --run is tested without paying for TF.
PROBE = """\
import importlib.util, os, sys
print("cwd:", os.getcwd())
print("compat importable:", importlib.util.find_spec("compat") is not None)
print("python:", sys.executable)
sys.exit({status})
import tensorflow as tf
sess = tf.Session()
"""


def test_run_executes_the_migrated_script_from_the_input_folder(tmp_path, cli):
    source = write(tmp_path / "course" / "lab.py", PROBE.format(status=0))
    status, out, _ = cli(source, "-o", tmp_path / "out" / "lab.py", "--run")
    assert status == 0
    assert f"cwd: {tmp_path / 'course'}\n" in out
    assert "compat importable: True\n" in out
    assert f"python: {sys.executable}\n" in out
    assert "run succeeded" in out


def test_failed_run_is_reported_and_exits_1(tmp_path, cli):
    source = write(tmp_path / "lab.py", PROBE.format(status=3))
    status, out, _ = cli(source, "-o", tmp_path / "out.py", "--run")
    assert status == 1
    assert "run FAILED" in out and "exit status 3" in out and "1 run(s) failed" in out


def test_check_with_run_runs_a_scratch_copy_and_writes_nothing(tmp_path, cli):
    source = write(tmp_path / "lab.py", PROBE.format(status=0))
    status, out, _ = cli(source, "--check", "--run")
    assert status == 0 and f"cwd: {tmp_path}\n" in out and "run succeeded" in out
    assert snapshot(tmp_path) == {pathlib.Path("lab.py"): PROBE.format(status=0).encode()}


def test_module_entry_point_and_usage_errors(tmp_path):
    source = write(tmp_path / "lab.py", "x = 1\n")
    root = str(pathlib.Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    usage = subprocess.run(
        [sys.executable, "-m", "labs.migrate", str(source)], capture_output=True, text=True, env=env
    )
    assert usage.returncode == 2
    assert "one of the arguments -o/--output --in-place --check is required" in usage.stderr
    done = subprocess.run(
        [sys.executable, "-m", "labs.migrate", str(source), "--check"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0 and "does not use TensorFlow; left untouched" in done.stdout


def test_add_parser_registers_the_subcommand():
    import argparse

    from labs.migrate import cli

    parser = argparse.ArgumentParser(prog="labs")
    cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["migrate", "a.py", "--check", "--run"])
    assert args.command == "migrate" and args.func is cli.run and args.check and args.run


def test_check_on_a_notebook_diffs_cell_sources(tmp_path, cli):
    import nbformat

    from tests.migrate import course_notebook

    source = tmp_path / "rnn_basics.ipynb"
    nbformat.write(course_notebook.build(), source)
    before = source.read_bytes()
    status, out, _ = cli(source, "--check")
    assert status == 0
    assert "-import tensorflow as tf\n+import compat.tf1 as tf\n" in out
    assert "-    cell = rnn.MultiRNNCell([cell] * 3, state_is_tuple=True) # 3 layers\n" in out
    assert "file: `kernel python2` -> `kernel python3`" in out
    assert source.read_bytes() == before
