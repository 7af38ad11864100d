"""Plain numpy references for `sequence_loss` and `fully_connected`.

Written from the semantics table (LEGACY_SEMANTICS §2.2, §2.1), not from the
TensorFlow code: every valid flag combination is spelled out on its own, and
everything is computed in float64. No TensorFlow import.
"""

import numpy as np


def log_softmax(logits):
    logits = np.asarray(logits, dtype=np.float64)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def cross_entropy(logits, targets):
    """`[B, T]` softmax cross-entropy; `targets` are indices or one-hot."""
    log_probs = log_softmax(logits)
    targets = np.asarray(targets)
    if targets.ndim == log_probs.ndim:
        return -(targets.astype(np.float64) * log_probs).sum(axis=-1)
    batch, time = np.indices(targets.shape)
    return -log_probs[batch, time, targets]


def divide_no_nan(numerator, denominator):
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    safe = np.where(denominator == 0, 1.0, denominator)
    return np.where(denominator == 0, 0.0, numerator / safe)


def _rows(wce, w, nonzero):
    """The seven defined reductions, keyed by (average_across_timesteps,
    average_across_batch, sum_over_timesteps, sum_over_batch)."""
    return {
        (True, True, False, False):
            lambda: divide_no_nan(wce.sum(), w.sum()),
        (True, False, False, False):
            lambda: divide_no_nan(wce.sum(axis=1), w.sum(axis=1)),
        (False, True, False, False):
            lambda: divide_no_nan(wce.sum(axis=0), w.sum(axis=0)),
        (False, False, False, False):
            lambda: wce,
        (False, False, True, True):
            lambda: divide_no_nan(wce.sum(), nonzero.sum()),
        (False, False, True, False):
            lambda: divide_no_nan(wce.sum(axis=1), nonzero.sum(axis=1)),
        (False, False, False, True):
            lambda: divide_no_nan(wce.sum(axis=0), nonzero.sum(axis=0)),
    }


VALID_FLAGS = tuple(_rows(None, None, None))


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, sum_over_timesteps=False,
                  sum_over_batch=False):
    """float64 reference; raises KeyError for flags with no defined result."""
    w = np.asarray(weights, dtype=np.float64)
    wce = cross_entropy(logits, targets) * w
    nonzero = (w != 0).astype(np.float64)
    flags = (bool(average_across_timesteps), bool(average_across_batch),
             bool(sum_over_timesteps), bool(sum_over_batch))
    return np.asarray(_rows(wce, w, nonzero)[flags]())


def relu(x):
    return np.maximum(x, 0.0)


def fully_connected(inputs, weights, biases=None, activation=relu):
    """`activation(inputs @ weights + biases)` over the last axis of inputs."""
    outputs = np.einsum("...d,dn->...n", np.asarray(inputs, np.float64),
                        np.asarray(weights, np.float64))
    if biases is not None:
        outputs = outputs + np.asarray(biases, np.float64)
    return outputs if activation is None else activation(outputs)
