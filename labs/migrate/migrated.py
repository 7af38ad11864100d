"""The result of migrating one file's bytes."""

import dataclasses


@dataclasses.dataclass
class Migrated:
    data: bytes  # the new file; the very input object when nothing changed
    changes: list
    findings: list
    uses_tensorflow: bool
    kind: str = None  # classify.TF1, KERAS or MIXED; None without TensorFlow or Keras
