#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# compare.sh OLD.json NEW.json: two memlab-bench results side by side (for
# example "git show HEAD~3:bench/results/K.json >old.json" against the
# current bench/results/K.json). For every row, the target ratio before
# and after; for every entry, the median time per operation before and
# after and new/old. Reads the line layout memlab-bench writes; no JSON
# library needed.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 OLD.json NEW.json" >&2; exit 2; }
for f in "$1" "$2"; do
	[ -f "$f" ] || { echo "compare: $f: no such file" >&2; exit 1; }
done

awk '
	FNR == 1 { side = (NR == FNR) ? "old" : "new" }
	function str(key,    s) {
		s = $0
		if (!sub(".*\"" key "\": \"", "", s)) return ""
		sub(/".*/, "", s)
		return s
	}
	function num(key,    s) {
		s = $0
		if (!sub(".*\"" key "\": ", "", s)) return ""
		sub(/[,}].*/, "", s)
		return s
	}
	/^  "kernel": / { kernel[side] = str("kernel") }
	/^    \{"id": / {
		row = str("id")
		if (!(row in seen_row)) { seen_row[row] = 1; rows[++nrows] = row }
	}
	/^     "target": \{/ { ratio[side, row] = num("ratio"); met[side, row] = num("met") }
	/^        \{"id": / {
		ent = row "/" str("id")
		if (!(ent in seen_ent)) { seen_ent[ent] = 1; ents[++nents] = ent }
		if ($0 ~ /"error": /) ns[side, ent] = "n/a"
	}
	/"ns_median": / { ns[side, ent] = num("ns_median") }
	function show(v) { return v == "" ? "-" : v }
	function showns(v) { return (v == "" || v == "n/a") ? show(v) : sprintf("%.0f", v) }
	END {
		printf "old: %s (%s)\nnew: %s (%s)\n\n", kernel["old"], ARGV[1], kernel["new"], ARGV[2]
		printf "%-12s %22s %22s\n", "target", "old ratio", "new ratio"
		for (i = 1; i <= nrows; i++) {
			r = rows[i]
			if (ratio["old", r] == "" && ratio["new", r] == "") continue
			printf "%-12s %16s %-5s %16s %-5s\n", r, show(ratio["old", r]),
			       met["old", r] == "true" ? "met" : "", show(ratio["new", r]),
			       met["new", r] == "true" ? "met" : ""
		}
		printf "\n%-32s %12s %12s %8s\n", "entry (ns per op)", "old", "new", "new/old"
		for (i = 1; i <= nents; i++) {
			e = ents[i]
			o = ns["old", e]
			n = ns["new", e]
			q = (o + 0 > 0 && n + 0 > 0) ? sprintf("%.2f", n / o) : "-"
			printf "%-32s %12s %12s %8s\n", e, showns(o), showns(n), q
		}
	}' "$1" "$2"
