"""Which of TF 1.15's RNN-era names the drop-in serves, and what migrate says about the rest.

``TF115_EXPORTS`` lists, per namespace, every public name TF 1.15 exported
there, copied from that release's sources (the ``@@`` lists and
``_allowed_symbols`` of ``tensorflow/contrib/{rnn,seq2seq,legacy_seq2seq,layers}/__init__.py``,
the ``tf_export(v1=["nn.rnn_cell.*"])`` names of ``python/ops/rnn_cell_impl.py``
and ``rnn_cell_wrapper_impl.py``, and ``examples/tutorials/mnist/input_data.py``).
Whether a name is served is not kept here: it is resolved, as migrate resolves
it, against ``import compat.tf1 as tf`` (``namespaces.resolve``), so this
table and migrate cannot disagree.

    python -m labs.migrate.tf1_names --output docs/tf1-names.md   # regenerate
    python -m labs.migrate.tf1_names --check docs/tf1-names.md    # exit 1 if it drifted
"""

import importlib
import sys

from labs.migrate import generated_page, namespaces
from labs.migrate.transform import REPLACEMENTS

TF115_EXPORTS = {
    ("nn", "rnn_cell"): (
        "BasicLSTMCell", "BasicRNNCell", "DeviceWrapper", "DropoutWrapper", "GRUCell", "LSTMCell",
        "LSTMStateTuple", "MultiRNNCell", "RNNCell", "ResidualWrapper",
    ),
    ("contrib", "rnn"): (
        "RNNCell", "LayerRNNCell", "BasicRNNCell", "BasicLSTMCell", "GRUCell", "LSTMCell",
        "LSTMStateTuple", "DropoutWrapper", "MultiRNNCell", "DeviceWrapper", "ResidualWrapper",
        "EmbeddingWrapper", "InputProjectionWrapper", "OutputProjectionWrapper",
        "LayerNormBasicLSTMCell", "LSTMBlockWrapper", "LSTMBlockCell", "GRUBlockCell",
        "GRUBlockCellV2", "FusedRNNCell", "FusedRNNCellAdaptor", "TimeReversedFusedRNN",
        "LSTMBlockFusedCell", "CoupledInputForgetGateLSTMCell", "TimeFreqLSTMCell", "GridLSTMCell",
        "BidirectionalGridLSTMCell", "NASCell", "UGRNNCell", "IntersectionRNNCell", "PhasedLSTMCell",
        "ConvLSTMCell", "Conv1DLSTMCell", "Conv2DLSTMCell", "Conv3DLSTMCell", "HighwayWrapper",
        "GLSTMCell", "SRUCell", "IndRNNCell", "IndyGRUCell", "IndyLSTMCell", "AttentionCellWrapper",
        "CompiledWrapper", "static_rnn", "static_state_saving_rnn", "static_bidirectional_rnn",
        "stack_bidirectional_dynamic_rnn", "stack_bidirectional_rnn", "transpose_batch_time",
        "best_effort_input_batch_size",
    ),
    ("contrib", "seq2seq"): (
        "Decoder", "dynamic_decode", "BasicDecoderOutput", "BasicDecoder", "BeamSearchDecoder",
        "BeamSearchDecoderOutput", "BeamSearchDecoderState", "FinalBeamSearchDecoderOutput",
        "gather_tree", "tile_batch", "Helper", "CustomHelper", "GreedyEmbeddingHelper",
        "SampleEmbeddingHelper", "ScheduledEmbeddingTrainingHelper", "ScheduledOutputTrainingHelper",
        "TrainingHelper", "InferenceHelper", "BahdanauAttention", "LuongAttention",
        "BahdanauMonotonicAttention", "LuongMonotonicAttention", "monotonic_attention",
        "safe_cumprod", "hardmax", "AttentionMechanism", "AttentionWrapperState", "AttentionWrapper",
        "sequence_loss",
    ),
    ("contrib", "legacy_seq2seq"): (
        "attention_decoder", "basic_rnn_seq2seq", "embedding_attention_decoder",
        "embedding_attention_seq2seq", "embedding_rnn_decoder", "embedding_rnn_seq2seq",
        "embedding_tied_rnn_seq2seq", "model_with_buckets", "one2many_rnn_seq2seq", "rnn_decoder",
        "sequence_loss", "sequence_loss_by_example", "tied_rnn_seq2seq",
    ),
    ("contrib", "layers"): (
        "avg_pool2d", "avg_pool3d", "batch_norm", "convolution", "convolution1d", "convolution2d",
        "convolution3d", "conv2d_in_plane", "convolution2d_in_plane", "conv2d_transpose",
        "convolution2d_transpose", "conv3d_transpose", "convolution3d_transpose", "dense_to_sparse",
        "dropout", "elu", "embedding_lookup_unique", "flatten", "fully_connected", "GDN", "gdn",
        "images_to_sequence", "layer_norm", "linear", "max_pool2d", "max_pool3d",
        "one_hot_encoding", "relu", "relu6", "repeat", "recompute_grad", "RevBlock", "rev_block",
        "safe_embedding_lookup_sparse", "scale_gradient", "separable_conv2d",
        "separable_convolution2d", "sequence_to_images", "softmax", "spatial_softmax", "stack",
        "unit_norm", "bow_encoder", "embed_sequence", "maxout", "apply_regularization",
        "l1_l2_regularizer", "l1_regularizer", "l2_regularizer", "sum_regularizer",
        "xavier_initializer", "xavier_initializer_conv2d", "variance_scaling_initializer",
        "optimize_loss", "summarize_activation", "summarize_tensor", "summarize_tensors",
        "summarize_collection", "summarize_activations", "bucketized_column",
        "check_feature_columns", "create_feature_spec_for_parsing", "crossed_column",
        "embedding_column", "scattered_embedding_column", "input_from_feature_columns",
        "transform_features", "joint_weighted_sum_from_feature_columns",
        "make_place_holder_tensors_for_base_features", "multi_class_target", "one_hot_column",
        "parse_feature_columns_from_examples", "parse_feature_columns_from_sequence_examples",
        "real_valued_column", "shared_embedding_columns", "sparse_column_with_hash_bucket",
        "sparse_column_with_integerized_feature", "sparse_column_with_keys",
        "sparse_column_with_vocabulary_file", "weighted_sparse_column",
        "weighted_sum_from_feature_columns", "infer_real_valued_columns",
        "sequence_input_from_feature_columns", "group_norm", "instance_norm", "bias_add", "conv1d",
        "conv2d", "conv3d", "feature_column", "legacy_fully_connected", "legacy_linear",
        "legacy_relu", "regression_target",
    ),
    ("examples", "tutorials", "mnist", "input_data"): ("read_data_sets",),
}

GENERIC_FIX = "migrate reports it where it is used; replace by hand with its TensorFlow 2 equivalent"


def served_by(namespace, name):
    """The compat object's dotted path if the drop-in serves ``tf.<namespace>.<name>``, else None."""
    if namespaces.resolve(("tensorflow", *namespace, name), namespaces.TF1) is not None:
        return None
    module = namespaces.DROP_IN_MODULES[("tensorflow", *namespace)]
    value = getattr(importlib.import_module(module), name)
    home = getattr(value, "__module__", None) or module
    if not home.startswith("compat"):
        return f"TensorFlow's own `tf.compat.v1` {name}"
    return f"{home}.{getattr(value, '__name__', name)}"


def fix_for(namespace, name):
    replacement = REPLACEMENTS.get(("tensorflow", *namespace, name))
    return f"migrate suggests {replacement}" if replacement else GENERIC_FIX


def render():
    """The Markdown page: per namespace, every TF 1.15 name, served or not."""
    lines = [
        "# TF1 names the drop-in serves",
        "",
        "Generated by `python -m labs.migrate.tf1_names --output docs/tf1-names.md` from",
        "TF 1.15's export lists (`labs/migrate/tf1_names.py` names the source files) and",
        "from what `import compat.tf1 as tf` resolves; `tests/migrate/test_tf1_names.py`",
        "fails when this page and the code disagree. Everything else under `tf.*` is",
        "`tf.compat.v1`'s own.",
        "",
    ]
    for namespace, names in TF115_EXPORTS.items():
        rows = [(name, served_by(namespace, name)) for name in names]
        count = sum(1 for _, where in rows if where)
        lines += [f"## `tf.{'.'.join(namespace)}`: {count} of {len(rows)} served", "",
                  "| TF 1.15 name | served by | when not served |", "|---|---|---|"]
        for name, where in sorted(rows, key=lambda row: (row[1] is None, row[0].lower())):
            if where is None:
                lines.append(f"| `{name}` | | {fix_for(namespace, name)} |")
            else:
                shown = where if where.startswith("TensorFlow") else f"`{where}`"
                lines.append(f"| `{name}` | {shown} | |")
        lines.append("")
    return "\n".join(lines)


def main(argv=None):
    return generated_page.main(argv, "labs.migrate.tf1_names", __doc__.split("\n")[0], render)


if __name__ == "__main__":
    sys.exit(main())
