"""Times the scipy calls a user would write for the discrete benchmark.

Usage: bench_discrete_scipy.py P_FILE Q_FILE RUNS N...
P_FILE and Q_FILE hold raw little-endian doubles (counts); each N uses the
first N entries of both. The counts are divided by their sums before the
timing starts, so every call below gets probability vectors. For each N and
call, prints one line "NAME N SECONDS VALUE": the median time of
RUNS calls in CPU time (time.process_time, like the C side,
so that other jobs on a shared machine do not count) and the value of the last call.
"""
import sys
import time

import numpy as np
import scipy.spatial.distance
import scipy.special
import scipy.stats


def median_time(call, runs):
    """Return the median CPU time of `runs` calls and the last value."""
    times = []
    value = float("nan")
    for _ in range(runs):
        start = time.process_time()
        value = call()
        times.append(time.process_time() - start)
    return float(np.median(times)), float(value)


def main():
    p_all = np.fromfile(sys.argv[1], dtype="<f8")
    q_all = np.fromfile(sys.argv[2], dtype="<f8")
    runs = int(sys.argv[3])
    for n in (int(arg) for arg in sys.argv[4:]):
        p = p_all[:n] / p_all[:n].sum()
        q = q_all[:n] / q_all[:n].sum()
        calls = {
            "rel_entr_sum": lambda: scipy.special.rel_entr(p, q).sum(),
            "stats_entropy_pq": lambda: scipy.stats.entropy(p, q),
            "stats_entropy_p": lambda: scipy.stats.entropy(p),
            "jensenshannon": lambda: scipy.spatial.distance.jensenshannon(p, q),
        }
        for name, call in calls.items():
            seconds, value = median_time(call, runs)
            print("%s %d %.9g %.17g" % (name, n, seconds, value), flush=True)


if __name__ == "__main__":
    main()
