"""TF1 tutorial-style scripts, beyond the course, migrated and run: they learn.

Three scripts written by the team in the style of the 2016-2018 TF1 tutorial
repositories (tests/migrate/fixtures/tutorials) use what ``compat`` serves
beyond the course: a char-rnn of ``DropoutWrapper``-ed LSTMs in a
``MultiRNNCell`` with ``legacy_seq2seq.rnn_decoder`` and
``sequence_loss_by_example``, sampled through a ``loop_function``; an MNIST
row-by-row LSTM reading a small IDX set from ``MNIST_data/`` with the tutorial
reader; and a bucketed ``embedding_attention_seq2seq`` in ``model_with_buckets``
decoded with ``feed_previous``; and an attention NMT toy on ``contrib.seq2seq``
(``AttentionWrapper`` with Luong attention, ``TrainingHelper``,
``BasicDecoder``, ``dynamic_decode``; ``BeamSearchDecoder`` over the tiled
memory for inference). The tutorial child (``run_tutorials.py``)
migrates them with the CLI and runs them; these tests read what it left.
"""

import json
import re

import pytest

from tests.migrate import run_tutorials


@pytest.fixture(scope="module")
def tutorials(tutorial_child):
    result = json.loads(tutorial_child.wait_for(run_tutorials.RESULT).read_text())
    migration = result["migration"]
    assert migration["status"] == 0, migration["stdout"] + migration["stderr"]
    assert tutorial_child.wait() == 0, tutorial_child.log()[-3000:]
    return {"report": migration["stdout"], "runs": result["scripts"]}


def run(tutorials, name):
    outcome = tutorials["runs"][name]
    assert outcome["error"] is None, outcome["error"] + "\n" + outcome["stdout"][-2000:]
    return outcome["stdout"]


def test_the_tutorials_migrate_completely(tutorials):
    report = tutorials["report"]
    assert f"{len(run_tutorials.SCRIPTS)} file(s): {len(run_tutorials.SCRIPTS)} migrated" in report
    assert "0 construct(s) not converted" in report
    assert "from compat.examples.tutorials.mnist import input_data" in report
    assert "from compat.tf1.contrib import legacy_seq2seq" in report


def test_char_rnn_learns_and_samples_through_its_loop_function(tutorials):
    stdout = run(tutorials, "char_rnn")
    losses = [float(v) for v in re.findall(r"train_loss = (\S+)", stdout)]
    assert len(losses) == 13 and losses[-1] < losses[0] / 4, losses
    [sample] = re.findall(r"^sample: (.*)$", stdout, flags=re.MULTILINE)
    # greedy sampling after training spells the training sentence
    assert sample.startswith("the quick brown"), sample
    variables = tutorials["runs"]["char_rnn"]["variables"]
    assert "model/rnnlm/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0" in variables
    assert "model/rnnlm/softmax_w:0" in variables


def test_mnist_rows_lstm_reads_mnist_data_and_learns(tutorials):
    stdout = run(tutorials, "mnist_rnn")
    assert "Extracting MNIST_data/train-images-idx3-ubyte.gz" in stdout
    losses = [float(v) for v in re.findall(r"Minibatch Loss= (\S+),", stdout)]
    assert len(losses) == 7 and losses[-1] < losses[0] / 4, losses
    [accuracy] = re.findall(r"^Testing Accuracy: (\S+)$", stdout, flags=re.MULTILINE)
    assert float(accuracy) > 0.9


def test_bucketed_attention_seq2seq_learns_every_bucket_and_decodes(tutorials):
    stdout = run(tutorials, "bucketed_seq2seq")
    by_bucket = {}
    for bucket, loss in re.findall(r"bucket (\d) loss (\S+)", stdout):
        by_bucket.setdefault(int(bucket), []).append(float(loss))
    assert sorted(by_bucket) == [0, 1]
    for losses in by_bucket.values():
        assert losses[-1] < losses[0] / 2, by_bucket
    [(decoded, expected)] = re.findall(r"^decoded: (.*) expected: (.*)$", stdout, flags=re.MULTILINE)
    assert decoded == expected
    variables = tutorials["runs"]["bucketed_seq2seq"]["variables"]
    assert len(variables) == len(set(variables))  # both buckets and the decoder share one model
    assert ("model/embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/"
            "AttnOutputProjection/kernel:0") in variables


def test_attention_nmt_learns_and_translates_with_beam_search(tutorials):
    stdout = run(tutorials, "attention_nmt")
    losses = [float(v) for v in re.findall(r"^step \d+ loss (\S+)$", stdout, flags=re.MULTILINE)]
    assert len(losses) == 9 and losses[-1] < losses[0] / 4, losses
    [(translated, expected)] = re.findall(r"^translated: (.*) expected: (.*)$", stdout, flags=re.MULTILINE)
    assert translated == expected
    variables = tutorials["runs"]["attention_nmt"]["variables"]
    assert "decoder/memory_layer/kernel:0" in variables
    assert "decoder/attention/attention_layer/kernel:0" in variables
