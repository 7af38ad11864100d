"""`labs diff --plot`'s figure: one lab's panels together under its verdict,
the labs in a grid that stays readable at 100% for one lab and for all ten,
and an exact zero marked as exact, never drawn as a tiny number."""

import numpy as np
import pytest

from labs.harness import diff, golden, registry

pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")

MAX_WIDTH_PIXELS = 1400  # a browser window or the README's column at 100%


@pytest.fixture
def lab_diff(lab_runs, monkeypatch):
    monkeypatch.setattr(diff, "run_golden_forms", lambda lab_id, dtype, backend=None: {
        impl: lab_runs(lab_id, dtype=dtype, **golden.run_options(lab_id, impl))
        for impl in golden.IMPLS})
    return lambda lab_id: diff.diff_lab(lab_id, "float32")


def pixels(figure):
    return figure.get_size_inches() * diff.PLOT_DPI


def plotted(axis):
    """Every y value drawn in data coordinates on `axis` (lines)."""
    return np.concatenate([np.asarray(line.get_ydata(), np.float64)
                           for line in axis.get_lines()
                           if line.get_transform() == axis.transData] or [[]])


@pytest.mark.parametrize("lab_ids", [["12-1"], registry.lab_ids()], ids=["one", "all"])
def test_a_grid_readable_at_full_size(lab_diff, lab_ids):
    figure = diff.figure([lab_diff(lab_id) for lab_id in lab_ids])
    width, height = pixels(figure)
    assert width <= MAX_WIDTH_PIXELS
    rows = -(-len(lab_ids) // diff.PLOT_COLUMNS)
    assert height == pytest.approx(rows * diff.PLOT_CELL_INCHES[1] * diff.PLOT_DPI)
    titles = [cell._suptitle.get_text() for cell in figure.subfigs if cell.get_visible()]
    assert titles == [diff._verdict_title(lab_diff(lab_id)) for lab_id in lab_ids]
    assert all(": AGREE, worst v1-v2 " in title for title in titles)
    for cell in figure.subfigs[:len(lab_ids)]:
        assert len(cell.axes) == 2  # the lab's two panels, together


def test_exact_zeros_are_marked_not_drawn_as_tiny_numbers(lab_diff):
    comparison = lab_diff("12-1")
    difference = np.abs(comparison.v1.losses.astype(np.float64)
                        - comparison.v2.losses.astype(np.float64))
    zeros = int((difference == 0).sum())
    assert 0 < zeros < len(difference)  # 12-1 float32 has both
    figure = diff.figure([comparison])
    bottom = figure.subfigs[0].axes[1]
    labels = bottom.get_legend_handles_labels()[1]
    assert f"{diff.EXACT_ZERO} ({zeros} of {len(difference)})" in labels
    drawn = plotted(bottom)
    assert not (drawn[np.isfinite(drawn)] < 1e-15).any()
