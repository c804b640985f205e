"""Times the scipy cdist + numpy baseline of the MMD^2 benchmark.

Usage: bench_mmd_scipy.py X_FILE Y_FILE N M D BANDWIDTH
The files hold raw little-endian doubles, row-major. Prints the median of
five CPU times in milliseconds and the unbiased Gaussian MMD^2.
"""
import sys
import time

import numpy as np
from scipy.spatial.distance import cdist


def unbiased_mmd2(x, y, bandwidth):
    """Returns the unbiased MMD^2 with a Gaussian kernel, from full kernel matrices."""
    scale = -1.0 / (2.0 * bandwidth * bandwidth)
    kxx = np.exp(cdist(x, x, "sqeuclidean") * scale)
    kyy = np.exp(cdist(y, y, "sqeuclidean") * scale)
    kxy = np.exp(cdist(x, y, "sqeuclidean") * scale)
    n = x.shape[0]
    m = y.shape[0]
    sxx = (kxx.sum() - np.trace(kxx)) / (n * (n - 1))
    syy = (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
    return sxx + syy - 2.0 * kxy.mean()


def main():
    n, m, d = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    bandwidth = float(sys.argv[6])
    x = np.fromfile(sys.argv[1], dtype="<f8").reshape(n, d)
    y = np.fromfile(sys.argv[2], dtype="<f8").reshape(m, d)
    times = []
    value = 0.0
    for _ in range(5):
        start = time.process_time()
        value = unbiased_mmd2(x, y, bandwidth)
        times.append(time.process_time() - start)
    print(f"{sorted(times)[2] * 1e3:.3f} {value:.17g}")


if __name__ == "__main__":
    main()
