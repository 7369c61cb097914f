#!/usr/bin/env bash
# Packaging/generate-docs.sh OUTDIR BINDIR: the man pages and the bash, zsh and fish completions
# of mptop and mptop-exporter (the executables in BINDIR), generated from the same
# ArgumentParser declarations as their --help. Writes
#   OUTDIR/man/man1/mptop.1, OUTDIR/man/man1/mptop-exporter.1,
#   OUTDIR/completions/bash/{mptop,mptop-exporter}, OUTDIR/completions/zsh/{_mptop,_mptop-exporter},
#   OUTDIR/completions/fish/{mptop.fish,mptop-exporter.fish}.
# The pages are dated SOURCE_DATE_EPOCH if set, else the last commit's day (reproducible builds).
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 OUTDIR BINDIR" >&2
    exit 2
fi
out=$1
bin=$2
root=$(cd "$(dirname "$0")/.." && pwd)
for tool in mptop mptop-exporter; do
    if [ ! -x "$bin/$tool" ]; then
        echo "generate-docs.sh: no executable $bin/$tool (build them first)" >&2
        exit 1
    fi
done

# swift-argument-parser's man page writer, the tool its GenerateManual plugin runs, built from
# the package's checkout (the plugin itself would rebuild both tools in release mode first), or
# $GENERATE_MANUAL when given. It reads a tool's declarations from
# `TOOL --experimental-dump-help` and writes mdoc.
generate_manual=${GENERATE_MANUAL:-}
if [ -z "$generate_manual" ]; then
    swift build --package-path "$root" --product generate-manual >&2
    generate_manual="$(swift build --package-path "$root" --show-bin-path)/generate-manual"
fi

if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
    day=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
else
    day=$(git -C "$root" log -1 --format=%cs 2>/dev/null || date -u +%F)
fi

mkdir -p "$out/man/man1" "$out/completions/bash" "$out/completions/zsh" "$out/completions/fish"
for tool in mptop mptop-exporter; do
    "$generate_manual" "$bin/$tool" --date "$day" --output-directory "$out/man/man1"
    # The help's prose comes through as typed; mdoc needs three things said: a blank line is a
    # paragraph break (.Pp), an indented block (the dashboard's keys, failover's modes) is
    # literal text, a heading in capitals (WHAT YOU SEE) stands on a line of its own.
    awk '
        /^  / && !literal { print ".Bd -literal -offset 2n"; literal = 1 }
        !/^  / && literal { print ".Ed"; literal = 0 }
        /^$/ { print ".Pp"; next }
        /^[A-Z][A-Z ]*[A-Z]( \(.*\))?$/ { print ".Sy \"" $0 "\""; print ".br"; next }
        { print }
        END { if (literal) print ".Ed" }
    ' "$out/man/man1/$tool.1" > "$out/man/man1/$tool.1.tmp"
    mv "$out/man/man1/$tool.1.tmp" "$out/man/man1/$tool.1"
    "$bin/$tool" --generate-completion-script bash > "$out/completions/bash/$tool"
    "$bin/$tool" --generate-completion-script zsh > "$out/completions/zsh/_$tool"
    "$bin/$tool" --generate-completion-script fish > "$out/completions/fish/$tool.fish"
done
