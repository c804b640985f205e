#!/bin/sh
# Draws docs/contrastive.png: the mean effective number of negatives of
# InfoNCE, 1 / sum w^2 over the softmax weights of a row's negatives,
# against the batch size n from 64 to 4096, for four temperatures, on the
# synthetic embedding sets of examples/contrastive.c (d = 64, gap 2,
# noise 0.5). The dashed line is n - 1, every negative weighted equally.
#
# Usage: docs/plot_contrastive.sh [PATH/TO/contrastive [OUTPUT.png]]
# Needs gnuplot (Debian package gnuplot-nox) with the pngcairo terminal.
set -eu

example=${1:-./build/examples/contrastive}
output=${2:-$(dirname "$0")/contrastive.png}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for t in 0.03 0.07 0.2 1; do
    "$example" 64 4096 64 2 "$t" 0.5 > "$work/t$t.dat"
done

gnuplot <<GNUPLOT
set terminal pngcairo size 900,600 font ",12" noenhanced
set output "$output"
set title "InfoNCE: effective number of negatives 1 / sum w^2 against batch size\n(d = 64, cosine similarities, mean over rows)"
set xlabel "batch size n"
set ylabel "effective number of negatives"
set logscale xy 2
set key top left reverse Left box opaque
set grid
plot "$work/t1.dat" using 1:10 with linespoints lw 2 pt 7 title "T = 1", \
     "$work/t0.2.dat" using 1:10 with linespoints lw 2 pt 5 title "T = 0.2", \
     "$work/t0.07.dat" using 1:10 with linespoints lw 2 pt 9 title "T = 0.07", \
     "$work/t0.03.dat" using 1:10 with linespoints lw 2 pt 11 title "T = 0.03", \
     x - 1 with lines dt 2 lc rgb "gray40" title "n - 1: all negatives weighted equally"
GNUPLOT
for t in 0.03 0.07 0.2 1; do
    echo "T = $t:"
    grep -v '^#' "$work/t$t.dat" | awk '{ printf "  n %5d  effective %9.3f  share %.4f  row loss %.5f  cosine variance %.3e\n", $1, $10, $10 / ($1 - 1), $5, $14 }'
done
echo "wrote $output"
