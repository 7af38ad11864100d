"""Runs a lab notebook top to bottom in a fresh kernel (nbclient).

The kernel is ipykernel on this very interpreter (the one that has the
project installed), started in `cwd` with the environment a migrated
notebook gets (`labs.migrate.environment`). What TensorFlow's C++ code writes
to the process's own stderr before its logging is set up (CUDA probes, a
notice per import) stays out of the notebook and out of the terminal: the
kernel does not capture file-descriptor output, and its streams go nowhere.
Python's own output and warnings are the cells' outputs as usual. Cells run
with no time stamps recorded, so executing a notebook twice gives the same
file unless a number changed.
"""

import dataclasses
import subprocess
import time
from typing import Optional

from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

from labs.migrate.environment import ThisPythonKernels, run_environment

DEFAULT_TIMEOUT = 600


class _QuietKernels(ThisPythonKernels):
    """ipykernel on this interpreter, leaving fd-level output uncaptured."""

    def get_kernel_spec(self, kernel_name):
        spec = super().get_kernel_spec(kernel_name)
        spec.argv = [*spec.argv, "--IPKernelApp.capture_fd_output=False"]
        return spec


@dataclasses.dataclass(frozen=True)
class Execution:
    """How a run went: `ok`, `seconds`, and for a failure the failing code
    cell's number (1-based, counting code cells only, as the test of the
    committed notebooks does), its first line and the error."""

    ok: bool
    seconds: float
    cell: Optional[int] = None
    first_line: str = ""
    error: str = ""

    def describe(self):
        if self.ok:
            return f"executed in {self.seconds:.1f} s"
        where = (f"code cell {self.cell} ({self.first_line!r})"
                 if self.cell is not None else "the kernel")
        return f"failed in {where}: {self.error}"


def execute(notebook, cwd, timeout=DEFAULT_TIMEOUT):
    """Executes `notebook` in place (outputs filled in); returns `Execution`.

    On failure the cells up to the failing one keep their outputs, the
    failing one its traceback.
    """
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name="python3",
                            kernel_spec_manager=_QuietKernels())
    client = NotebookClient(notebook, timeout=timeout, km=manager,
                            record_timing=False,
                            resources={"metadata": {"path": str(cwd)}})
    started = time.monotonic()
    try:
        client.execute(env=run_environment(), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    except CellExecutionError as error:
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        number = next((index for index, cell in enumerate(code, 1)
                       if any(output.get("output_type") == "error"
                              for output in cell.get("outputs", []))), None)
        first = (code[number - 1].source.splitlines() or [""])[0] \
            if number else ""
        return Execution(False, time.monotonic() - started, number, first,
                         f"{error.ename}: {error.evalue}")
    except (DeadKernelError, TimeoutError, RuntimeError) as error:
        return Execution(False, time.monotonic() - started,
                         error=f"{type(error).__name__}: "
                               f"{' '.join(str(error).split())[:300]}")
    return Execution(True, time.monotonic() - started)
