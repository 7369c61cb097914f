#!/usr/bin/env bash
# Builds mptop's libFuzzer targets (address sanitizer on) and runs them one after the other.
#
#   Fuzz/run.sh [--seconds N | --runs N] [--build-only] [TARGET...]
#
# TARGET is a name without the "fuzz-" prefix (sockdiag dashboard pm-events genl-replies rtnetlink
# counters theme journal recording); none means all. Each run is bounded by --seconds (default 60) or
# --runs executions, one input at most 10 s (-timeout: a hang is a failure too). The corpus
# grows in Fuzz/.corpus/TARGET, starting from seeds made of the test fixtures and Fuzz/Seeds;
# a crashing input is saved as Fuzz/.artifacts/TARGET-crash-*. Exits 1 when a target crashed,
# hung, went past its memory limit (2 GB) or failed to start.
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$fuzz")"
all=(sockdiag dashboard pm-events genl-replies rtnetlink counters theme journal recording)

seconds=60 runs="" build_only=0 targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --build-only) build_only=1; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        -*) echo "Fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
        *) [[ " ${all[*]} " == *" $1 "* ]] || { echo "Fuzz/run.sh: no target $1 (${all[*]})" >&2; exit 2; }
           targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

# SwiftPM links every executable with a `main` of its own, so the targets call libFuzzer's
# LLVMFuzzerRunDriver from theirs; gold cannot link the result, lld can. -enable-testing lets
# the harnesses reach internal decoders (@testable import) in an optimised build.
swift build --package-path "$fuzz" -c release \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -use-ld=lld
[ "$build_only" = 1 ] && exit 0
bin="$(swift build --package-path "$fuzz" -c release --show-bin-path)"

fixtures="$root/Tests/MPTCPKitTests/Fixtures"
# NLMSG_DONE: ends one dump and starts the next in the sock_diag target's input.
done_message() { printf '\x14\x00\x00\x00\x03\x00\x02\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'; }
seed() { # seed TARGET: (re)writes Fuzz/.corpus/seeds/TARGET from the fixtures
    local dir="$fuzz/.corpus/seeds/$1"
    rm -rf "$dir"; mkdir -p "$dir"
    case "$1" in
        sockdiag)
            for side in client618 server618; do
                { cat "$fixtures/$side/mptcp-ipv4.nl" "$fixtures/$side/mptcp-ipv6.nl"; done_message
                  cat "$fixtures/$side/tcp-ipv4.nl" "$fixtures/$side/tcp-ipv6.nl"; } > "$dir/$side.nl"
                for f in "$fixtures/$side"/*.nl; do cp "$f" "$dir/$side-$(basename "$f")"; done
            done
            # Two samples: the client's sockets, then the server's (counters jump either way).
            cat "$dir/client618.nl" <(done_message) "$dir/server618.nl" > "$dir/two-samples.nl" ;;
        dashboard) seed sockdiag; rm -rf "$dir"; mv "$fuzz/.corpus/seeds/sockdiag" "$dir"
            # Keys (NLMSG_NOOP payload): expand, down, down, detail, back, sort, help, events.
            printf '\x18\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x06\x01\x01\x07\x0e\x09\x0d\x0f' \
                | cat - "$dir/client618.nl" > "$dir/client618-keys.nl" ;;
        pm-events) cp "$fixtures"/events618/*.nl "$dir/" ;;
        genl-replies) cp "$fuzz"/Seeds/genl/*.nl "$dir/" ;;
        rtnetlink) cp "$fixtures"/rtnetlink618/*.nl "$dir/" ;;
        counters) cp "$fixtures/netstat618-host.txt" "$dir/" ;;
        theme) cp "$root"/Themes/*.theme "$dir/" ;;
        journal) cp "$fuzz"/Seeds/journal/*.txt "$dir/" ;;
        recording) cp "$fuzz"/Seeds/recording/*.mptrec "$dir/" ;;
    esac
}

mkdir -p "$fuzz/.artifacts" "$fuzz/.logs"
status=0
printf '%-13s %12s %8s %8s  %s\n' target executions seconds corpus result
for t in "${targets[@]}"; do
    seed "$t"
    mkdir -p "$fuzz/.corpus/$t"
    bound=(-max_total_time="$seconds")
    [ -n "$runs" ] && bound=(-runs="$runs")
    dict=()
    [ -f "$fuzz/Dictionaries/$t.dict" ] && dict=(-dict="$fuzz/Dictionaries/$t.dict")
    log="$fuzz/.logs/$t.log"
    start=$(date +%s)
    result=ok
    # detect_leaks=0: the harnesses allocate nothing that outlives an input, and LeakSanitizer
    # needs ptrace, which containers often refuse.
    ASAN_OPTIONS=detect_leaks=0 "$bin/fuzz-$t" "${bound[@]}" "${dict[@]}" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$fuzz/.artifacts/$t-" \
        "$fuzz/.corpus/$t" "$fuzz/.corpus/seeds/$t" > "$log" 2>&1 || { result="FAILED (see $log)"; status=1; }
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    printf '%-13s %12s %8s %8s  %s\n' "$t" "${executions:-?}" "$(( $(date +%s) - start ))" \
        "$(find "$fuzz/.corpus/$t" -type f | wc -l)" "$result"
    if [ "$result" != ok ]; then grep -m1 -A20 -E '^==[0-9]+==ERROR|deadly signal|Fatal error|ALARM|out-of-memory' "$log" >&2 || tail -20 "$log" >&2; fi
done
exit $status
