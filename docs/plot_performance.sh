#!/bin/sh
# Plots time per element against n for the discrete divergences and their
# baselines from the output of bench_discrete.
#
# Usage: docs/plot_performance.sh BENCH_OUTPUT [OUTPUT_PNG]
#   BENCH_OUTPUT: what `build/bench/bench_discrete bench/bench_discrete_scipy.py`
#                 printed (its "data" lines are plotted)
#   OUTPUT_PNG:   default docs/performance.png
# Needs gnuplot (the Debian package gnuplot-nox is enough).
set -eu

input=$1
output=${2:-docs/performance.png}
data=$(mktemp)
trap 'rm -f "$data"' EXIT

# Columns: n, KL, CE, JS, entropy, naive KL, roof, rel_entr, stats.entropy(p, q), jensenshannon.
awk '
    $1 == "data" { t[$2, $3] = $4; naive[$2, $3] = $5; roof[$2] = $6;
                   rel[$2] = $7; ent[$2] = $8; js[$2] = $9; sizes[$2] = 1 }
    $1 == "data" && $3 == "KL" { roof[$2] = $6; ent[$2] = $8 }
    END {
        for (n in sizes) {
            print n, t[n, "KL"], t[n, "CE"], t[n, "JS"], t[n, "entropy"],
                  naive[n, "KL"], roof[n], rel[n], ent[n], js[n]
        }
    }' "$input" | sort -n > "$data"

gnuplot <<GNUPLOT
set terminal pngcairo size 900,650 noenhanced
set output '$output'
set title 'Discrete divergences, CPU time per element (bench_discrete, one thread)'
set xlabel 'n (entries of p and of q)'
set ylabel 'ns per element'
set logscale xy
set key below maxrows 3
set grid
plot '$data' using 1:2 with linespoints lw 2 title 'singdiv KL', \
     '' using 1:3 with linespoints lw 2 title 'singdiv cross-entropy', \
     '' using 1:4 with linespoints lw 2 title 'singdiv JS', \
     '' using 1:5 with linespoints lw 2 title 'singdiv entropy', \
     '' using 1:6 with linespoints dt 2 title 'naive C KL (libm log)', \
     '' using 1:7 with linespoints dt 2 title 'roof: read p and q once', \
     '' using 1:8 with linespoints dt 3 title 'scipy rel_entr(p, q).sum()', \
     '' using 1:9 with linespoints dt 3 title 'scipy.stats.entropy(p, q)', \
     '' using 1:10 with linespoints dt 3 title 'scipy jensenshannon(p, q)'
GNUPLOT
echo "wrote $output"
