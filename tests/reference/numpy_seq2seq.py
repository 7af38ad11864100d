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


def masked_softmax(scores, lengths):
    """Softmax over each row's first ``lengths[b]`` entries (the rest -inf, so 0)."""
    if lengths is not None:
        mask = np.arange(scores.shape[1])[None, :] < np.asarray(lengths)[:, None]
        scores = np.where(mask, scores, -np.inf)
    return softmax(scores)


def bahdanau_scores(keys, processed_query, v, g=None, b=None):
    if g is not None:
        v = g * v / np.sqrt((v ** 2).sum())
        return (v * np.tanh(keys + processed_query[:, None, :] + b)).sum(-1)
    return (v * np.tanh(keys + processed_query[:, None, :])).sum(-1)


def luong_scores(keys, query, g=None):
    scores = (keys * query[:, None, :]).sum(-1)
    return scores if g is None else g * scores


def attention_decode(cell, inputs, state, values, lengths, keys, score_fn, attention_kernel,
                     output_kernel, output_attention=True):
    """An ``AttentionWrapper`` with one mechanism and an attention layer, under
    teacher forcing, then the output projection: per-step logits and alignments."""
    batch = values.shape[0]
    attention = np.zeros((batch, attention_kernel.shape[1]))
    logits, alignments_per_step = [], []
    for x in inputs:
        output, state = cell(np.concatenate([x, attention], 1), state)
        alignments = masked_softmax(score_fn(keys, output), lengths)
        context = (alignments[:, :, None] * values).sum(1)
        attention = np.concatenate([output, context], 1) @ attention_kernel
        logits.append((attention if output_attention else output) @ output_kernel)
        alignments_per_step.append(alignments)
    return logits, alignments_per_step, state
