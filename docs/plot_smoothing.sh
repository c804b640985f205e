#!/bin/sh
# Draws docs/smoothing.png: the cross-entropy of P and the smoothed model
# Q_eps = (1 - eps) Q + eps U against log(1/eps) for three models that miss
# 5%, 20% and 50% of P. Each curve is a straight line whose slope is the
# model's violating mass. The data come from `singdiv smooth`.
#
# Usage: docs/plot_smoothing.sh [PATH/TO/singdiv [OUTPUT.png]]
# Needs gnuplot (Debian package gnuplot-nox) with the pngcairo terminal.
set -eu

singdiv=${1:-./build/tools/singdiv}
output=${2:-$(dirname "$0")/smoothing.png}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# P is uniform on 20 symbols. Model k gives probability 0 to the first
# missing[k] symbols (mass missing[k] / 20 of P) and spreads its mass
# evenly over the others.
awk 'BEGIN { for (i = 0; i < 20; i++) print 1 }' > "$work/p.txt"
for missing in 1 4 10; do
    awk -v m="$missing" 'BEGIN { for (i = 0; i < 20; i++) print (i < m ? 0 : 1) }' \
        > "$work/q$missing.txt"
    "$singdiv" smooth --normalize --eps-max 0.1 --eps-min 1e-12 --per-decade 4 \
        "$work/p.txt" "$work/q$missing.txt" > "$work/smooth$missing.dat"
done

gnuplot <<GNUPLOT
set terminal pngcairo size 900,600 font ",12" noenhanced
set output "$output"
set title "Smoothing a model that misses part of the truth:\nCE(P, (1 - eps) Q + eps U) is a line in log(1/eps) whose slope is the violating mass"
set xlabel "log(1/eps)  (nats; eps from 1e-1 to 1e-12)"
set ylabel "cross-entropy CE(P, Q_eps)  (nats)"
set key top left reverse Left box opaque
set grid
set xrange [0:*]
set yrange [0:*]
plot "$work/smooth10.dat" using 2:3 with linespoints lw 2 pt 7 title "Q misses 50% of P: slope 0.5", \
     "$work/smooth4.dat" using 2:3 with linespoints lw 2 pt 5 title "Q misses 20% of P: slope 0.2", \
     "$work/smooth1.dat" using 2:3 with linespoints lw 2 pt 9 title "Q misses 5% of P: slope 0.05", \
     log(20) with lines dt 2 lc rgb "gray40" title "H(P) = log 20, the lowest cross-entropy any model reaches"
GNUPLOT
echo "wrote $output"
