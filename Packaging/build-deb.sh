#!/usr/bin/env bash
# Builds mptop_VERSION_ARCH.deb into OUTDIR: mptop and mptop-exporter with the Swift runtime
# linked in (they run where no Swift toolchain is), the themes, man pages and bash/zsh/fish
# completions. Needs the toolchain, dpkg-dev (dpkg-shlibdeps) and no network.
# Usage: Packaging/build-deb.sh OUTDIR
# The release build lives in .build-deb/ (MPTOP_DEB_BUILD_PATH to move it), apart from the
# debug build of `swift build`/`swift test`; a second run only rebuilds what changed.
set -euo pipefail
umask 022

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd -P)
repo=$(cd "$(dirname "$0")/.." && pwd -P)
build=${MPTOP_DEB_BUILD_PATH:-$repo/.build-deb}
cd "$repo"

# --disable-local-rpath: no $ORIGIN runpath, so a root binary in /usr/bin never loads a library
# from beside itself; the Swift libraries it would have found there are linked in.
flags=(-c release --static-swift-stdlib --disable-local-rpath --build-path "$build")
# generate-manual (swift-argument-parser's man page writer) in the same build directory, so
# generate-docs.sh does not build it in .build/, which `swift test` holds locked while it runs.
for product in mptop mptop-exporter generate-manual; do swift build "${flags[@]}" --product "$product" >&2; done
bindir=$(swift build "${flags[@]}" --show-bin-path)
export GENERATE_MANUAL=${GENERATE_MANUAL:-$bindir/generate-manual}

version=$("$bindir/mptop" --version)
version=${version#mptop }
[[ $version =~ ^[0-9][0-9A-Za-z.+~-]*$ ]] || { echo "$0: 'mptop --version' gave no version ($version)" >&2; exit 1; }
arch=$(dpkg --print-architecture)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
# File times and the changelog's date are the last commit's, not the time of the build.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/mptop/themes" "$root/usr/share/man/man1" \
    "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
    "$root/usr/share/fish/vendor_completions.d" "$root/usr/share/doc/mptop"
for tool in mptop mptop-exporter; do
    install -m 0755 "$bindir/$tool" "$root/usr/bin/$tool"
    strip --strip-unneeded "$root/usr/bin/$tool"
done
install -m 0644 Themes/*.theme "$root/usr/share/mptop/themes/"

# Man pages and completions: whatever generate-docs.sh wrote, in Debian's places.
Packaging/generate-docs.sh "$work/docs" "$bindir"
for page in "$work"/docs/man/man1/*.1; do
    [ -e "$page" ] || continue
    gzip -9n < "$page" > "$root/usr/share/man/man1/$(basename "$page").gz"
done
install_all() { # SOURCE_DIR DEST_DIR
    local f
    for f in "$1"/*; do [ -e "$f" ] && install -m 0644 "$f" "$2/"; done
    return 0
}
install_all "$work/docs/completions/bash" "$root/usr/share/bash-completion/completions"
install_all "$work/docs/completions/zsh" "$root/usr/share/zsh/vendor-completions"
install_all "$work/docs/completions/fish" "$root/usr/share/fish/vendor_completions.d"

install -m 0644 Packaging/copyright "$root/usr/share/doc/mptop/copyright"
maintainer="mptop developers <$(git log -1 --format=%ae 2>/dev/null || echo root@localhost)>"
{
    printf 'mptop (%s) unstable; urgency=medium\n\n' "$version"
    printf '  * Built by Packaging/build-deb.sh from %s.\n\n' "$(git describe --always --dirty 2>/dev/null || echo 'a source tree')"
    printf ' -- %s  %s\n' "$maintainer" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$root/usr/share/doc/mptop/changelog.Debian.gz"

# Run-time libraries, versioned from their packages' symbol files: dpkg-shlibdeps reads
# debian/control from the directory it runs in, so it gets a minimal one there.
mkdir -p "$work/shlibs/debian"
printf 'Source: mptop\n\nPackage: mptop\nArchitecture: any\n' > "$work/shlibs/debian/control"
shlibs=$(cd "$work/shlibs" && dpkg-shlibdeps -O -e"$root/usr/bin/mptop" -e"$root/usr/bin/mptop-exporter" 2>/dev/null)
shlibs=${shlibs#shlibs:Depends=}
[ -n "$shlibs" ] || { echo "$0: dpkg-shlibdeps found no libraries" >&2; exit 1; }

cat > "$root/DEBIAN/control" <<EOF
Package: mptop
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $shlibs, iproute2
Recommends: nftables
Suggests: mptcpd, prometheus, prometheus-node-exporter
Section: net
Priority: optional
Description: live terminal dashboard and Prometheus exporter for Multipath TCP
 mptop reads every MPTCP connection from the kernel (sock_diag netlink), shows
 its subflows with cwnd, RTT, bytes, rates and each interface's share, and can
 close subflows and run failover tests with an undo journal. It has a demo lab
 of network namespaces with its own MPTCP traffic.
 .
 mptop-exporter serves the same figures to Prometheus, or writes them for
 node_exporter's textfile collector.
 .
 iproute2 (ip, tc) runs the demo lab; nftables runs the blackhole failover test.
EOF

# zstd: Debian 12's dpkg and apt read it; xz would save a quarter of the size but takes 40 s
# on 2 cores where zstd -9 takes 3, on every test run.
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
deb=$out/mptop_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zzstd -z9 --build "$root" "$deb" >&2
echo "$deb"
