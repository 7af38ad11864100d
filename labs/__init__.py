"""The course's Lab 12 RNN labs, each as a TF1 graph (v1) and in Keras 3 (v2)."""

import os
import sys

from compat.environment import UnsupportedEnvironment, require_keras

# One inter-op thread, so that a run repeated gives the same bits. With
# TensorFlow's default pool, a Keras form's float32 losses on Keras 3.3-3.8
# now and then differ by ulps from the same run repeated on a busy machine;
# with one inter-op thread they never did (README "Running the matrix").
# TensorFlow reads the variable when its runtime starts, at the first op, so
# setting it here (before any lab, harness or notebook code runs an op) is
# in time even after `import tensorflow`. An explicit setting wins.
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

# Before any lab, harness or CLI code: an environment below the Keras floor
# gets one clear message here, not a traceback from inside Keras. From the
# command line (`python -m labs ...`, `python -m labs.hello_rnn.v2`, `lab12`;
# while `-m` locates the module, argv[0] is "-m") the message alone, exit 2.
try:
    require_keras()
except UnsupportedEnvironment as error:
    if sys.argv[:1] == ["-m"] or os.path.basename(sys.argv[0]) == "lab12":
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    raise
