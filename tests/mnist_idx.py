"""MNIST's IDX files as the TF1 tutorials found them in ``MNIST_data/``, written small.

``tiny_mnist`` writes the four gzipped files with synthetic, learnable images
(class k: a bright bar across rows 2k+3 to 2k+5 over noise), more than the
5000 training images TF1's reader keeps for validation by default.
"""

import gzip
import pathlib

import numpy as np

IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049


def write_idx(path, magic, array, truncate=0):
    """``array`` (uint8) as a gzipped IDX file; ``truncate`` drops that many bytes off its end."""
    header = np.array([magic, *array.shape], dtype=">u4").tobytes()
    data = header + np.asarray(array).astype(np.uint8).tobytes()
    with gzip.open(path, "wb") as stream:
        stream.write(data[:len(data) - truncate])


def tiny_mnist(folder, train=5500, test=200, seed=0):
    """Writes the four files into ``folder`` (created); returns it."""
    rng = np.random.default_rng(seed)
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, count in (("train", train), ("t10k", test)):
        labels = rng.integers(0, 10, count)
        images = rng.integers(0, 60, (count, 28, 28))
        for index, label in enumerate(labels):
            images[index, 2 * label + 3:2 * label + 6, 4:24] = 255
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", IMAGES_MAGIC, images)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", LABELS_MAGIC, labels)
    return folder
