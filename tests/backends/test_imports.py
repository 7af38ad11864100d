"""On JAX and PyTorch, the Keras form and the Keras parts of compat need no
TensorFlow: importing them must not import it."""

import importlib.util
import os
import subprocess
import sys
import textwrap

import pytest

from labs.harness import registry

OTHER_BACKENDS = [backend for backend in ("jax", "torch")
                  if importlib.util.find_spec(backend) is not None]


@pytest.mark.skipif(not OTHER_BACKENDS,
                    reason="needs jax or torch (tox envs jax, torch)")
@pytest.mark.parametrize("backend", OTHER_BACKENDS)
def test_the_keras_form_imports_no_tensorflow(backend):
    modules = [f"{entry.package}.{name}" for entry in registry.LABS
               for name in ("data", "v2")]
    modules += ["compat.weights", "compat.optimizers", "compat.losses",
                "compat.keras_float64", "labs.harness.run",
                "labs.harness.keras_loop", "labs.harness.transfer",
                f"labs.harness.{backend}_steps"]
    script = textwrap.dedent(f"""
        import importlib, sys
        for name in {modules!r}:
            importlib.import_module(name)
            if "tensorflow" in sys.modules:
                print("imported by", name)
                break
        else:
            print("none")
    """)
    result = subprocess.run([sys.executable, "-c", script],
                            capture_output=True, text=True, check=False,
                            env=dict(os.environ, KERAS_BACKEND=backend))
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split("\n")[-2] == "none", (
        f"TensorFlow {result.stdout.strip()} on {backend}")
