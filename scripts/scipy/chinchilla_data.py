"""Epoch AI's Chinchilla points, as the Rust tests and benches read them (shared helper)."""
import os
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data"))


def epoch_points():
    """N, D, loss with the 5 highest losses dropped (240 rows), as Epoch AI did."""
    path = os.path.join(DATA, "chinchilla_epoch.csv")
    if not os.path.exists(path):
        raise SystemExit(f"reference data missing: {path}")
    arr = np.loadtxt(path, delimiter=",", skiprows=1)
    n, d, loss = arr[:, 0], arr[:, 1], arr[:, 3]
    cut = np.sort(loss)[::-1][4]
    keep = loss < cut
    assert keep.sum() == 240
    return n[keep], d[keep], loss[keep]
