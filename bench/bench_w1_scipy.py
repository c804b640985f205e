"""Times scipy.stats.wasserstein_distance for the W1 benchmark.

Usage: bench_w1_scipy.py U_FILE V_FILE [U_WEIGHTS_FILE V_WEIGHTS_FILE] RUNS
The files hold raw little-endian doubles. With weight files the call is
wasserstein_distance(u, v, u_weights, v_weights). For a histogram, pass
the support points as both U_FILE and V_FILE and the masses as the
weights. Prints the median CPU time of RUNS calls in milliseconds, then
the distance.
"""
import sys
import time

import numpy as np
from scipy.stats import wasserstein_distance


def main():
    files = sys.argv[1:-1]
    runs = int(sys.argv[-1])
    arrays = [np.fromfile(name, dtype="<f8") for name in files]
    times = []
    value = float("nan")
    for _ in range(runs):
        start = time.process_time()
        value = wasserstein_distance(*arrays)
        times.append(time.process_time() - start)
    print("%.6f %.17g" % (1e3 * float(np.median(times)), value))


if __name__ == "__main__":
    main()
