"""Plain numpy references for ``legacy_seq2seq``: decoders, attention, losses.

Written from the math in TF 1.15's ``contrib/legacy_seq2seq`` docstrings and
the module docstrings of ``compat.legacy_seq2seq``; float64; no TensorFlow.
Cells are ``numpy_rnn``'s (``cell(x, state) -> (output, state)``).
"""

import numpy as np


def softmax(scores):
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=-1, keepdims=True)


def flatten_state(state):
    if isinstance(state, tuple):
        return np.concatenate([flatten_state(part) for part in state], 1)
    return state


def rnn_decoder(cell, inputs, state, loop_function=None):
    """``(outputs, state)``; with ``loop_function(prev, i)`` only ``inputs[0]`` is read."""
    outputs = []
    prev = None
    for i, x in enumerate(inputs):
        if loop_function is not None and prev is not None:
            x = loop_function(prev, i)
        output, state = cell(x, state)
        outputs.append(output)
        prev = output
    return outputs, state


def argmax_and_embed(embedding, projection=None):
    def loop_function(prev, _):
        if projection is not None:
            prev = prev @ projection[0] + projection[1]
        return embedding[prev.argmax(1)]
    return loop_function


class Attention:
    """The heads' parameters: ``W[a]`` ``[size, size]`` (AttnW squeezed), ``v[a]``,
    the query map ``(K[a], b[a])``; ``states`` ``[batch, length, size]``."""

    def __init__(self, states, W, v, K, b):
        self.states = np.asarray(states, np.float64)
        self.features = [self.states @ w for w in W]
        self.v, self.K, self.b = v, K, b

    def read(self, query):
        query = flatten_state(query)
        reads = []
        for features, v, K, b in zip(self.features, self.v, self.K, self.b):
            projected = query @ K + b
            scores = (v * np.tanh(features + projected[:, None, :])).sum(-1)
            weights = softmax(scores)
            reads.append((weights[:, :, None] * self.states).sum(1))
        return reads


def attention_decoder(cell, inputs, state, attention, input_map, output_map, loop_function=None,
                      initial_state_attention=False):
    """``input_map``/``output_map`` are ``(kernel, bias)`` of the two ``linear`` maps."""
    batch = inputs[0].shape[0]
    size = attention.states.shape[2]
    reads = ([np.zeros((batch, size))] * len(attention.v) if not initial_state_attention
             else attention.read(state))
    outputs = []
    prev = None
    for i, x in enumerate(inputs):
        if loop_function is not None and prev is not None:
            x = loop_function(prev, i)
        x = np.concatenate([x] + reads, 1) @ input_map[0] + input_map[1]
        cell_output, state = cell(x, state)
        reads = attention.read(state)
        output = np.concatenate([cell_output] + reads, 1) @ output_map[0] + output_map[1]
        outputs.append(output)
        prev = output
    return outputs, state


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True):
    total = 0.0
    for logit, target, weight in zip(logits, targets, weights):
        logit = np.asarray(logit, np.float64)
        shifted = logit - logit.max(1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
        total = total + -log_probs[np.arange(len(target)), target] * weight
    if average_across_timesteps:
        total = total / (np.sum(weights, 0) + 1e-12)
    return total


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True):
    cost = sequence_loss_by_example(logits, targets, weights, average_across_timesteps).sum()
    return cost / len(targets[0]) if average_across_batch else cost
