#!/usr/bin/env bash
# Man pages and shell completions, generated from the built binaries' own swift-argument-parser
# definitions (so they say what --help says):
#   OUTDIR/man/man1/TOOL.1
#   OUTDIR/completions/bash/TOOL  OUTDIR/completions/zsh/_TOOL  OUTDIR/completions/fish/TOOL.fish
# Usage: Packaging/generate-docs.sh OUTDIR BINDIR   (BINDIR: where `swift build` put the binaries)
# A tool whose command line is not swift-argument-parser's yet is skipped with a note.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 OUTDIR BINDIR" >&2; exit 2; }
out=$1
bindir=$(cd "$2" && pwd -P)

# The man page writer is swift-argument-parser's generate-manual tool, built from the checkout
# SwiftPM already resolved into the build folder that holds BINDIR (no network).
parser=""
dir=$bindir
for _ in 1 2 3; do
    dir=$(dirname "$dir")
    if [ -f "$dir/checkouts/swift-argument-parser/Package.swift" ]; then parser=$dir/checkouts/swift-argument-parser; break; fi
done
[ -n "$parser" ] || { echo "$0: no swift-argument-parser checkout above $bindir (build mptop-exporter first)" >&2; exit 1; }
tools=$(dirname "$parser")/../generate-manual
swift build -c release --package-path "$parser" --scratch-path "$tools" --product generate-manual >&2
manual=$(swift build -c release --package-path "$parser" --scratch-path "$tools" --show-bin-path)/generate-manual

# The page's date: the last commit's, so a rebuild of the same sources gives the same page.
date=$(git -C "$(dirname "$0")" log -1 --format=%cs 2>/dev/null || date -u +%F)

mkdir -p "$out/man/man1" "$out/completions/bash" "$out/completions/zsh" "$out/completions/fish"
for tool in mptop mptop-exporter; do
    exe=$bindir/$tool
    [ -x "$exe" ] || { echo "$0: $exe is not built" >&2; exit 1; }
    if ! "$exe" --generate-completion-script bash > "$out/completions/bash/$tool" 2>/dev/null; then
        rm -f "$out/completions/bash/$tool"
        echo "$0: note: $tool has no swift-argument-parser command line yet; no man page or completions for it" >&2
        continue
    fi
    "$exe" --generate-completion-script zsh > "$out/completions/zsh/_$tool"
    "$exe" --generate-completion-script fish > "$out/completions/fish/$tool.fish"
    "$manual" "$exe" --date "$date" --section 1 --output-directory "$out/man/man1"
done
