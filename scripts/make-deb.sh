#!/usr/bin/env bash
# Packs the tree that `make install DESTDIR=<dir>/root` staged into <dir>/dpbridge_<version>_<arch>.deb.
# Depends: is computed by dpkg-shlibdeps from the libraries the binary links.
# Usage: scripts/make-deb.sh <dir>
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${1:?usage: make-deb.sh <dir>}
root="$dir/root"
binary="$root/usr/bin/dpbridge"
[ -x "$binary" ] || { echo "make-deb: $binary is missing (run make install DESTDIR=$root first)" >&2; exit 1; }

version=$("$binary" version | awk '{print $2}')
[ -n "$version" ] || { echo "make-deb: could not read the version from $binary" >&2; exit 1; }
arch=$(dpkg --print-architecture)

# dpkg-shlibdeps wants a debian/control to read; give it a minimal one in a scratch dir.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/debian"
printf 'Source: dpbridge\n\nPackage: dpbridge\nArchitecture: any\n' > "$scratch/debian/control"
binary_path=$(realpath "$binary")
shlibs=$(cd "$scratch" && dpkg-shlibdeps -O "$binary_path" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "make-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# The release link packs relative relocations (DT_RELR, Package.swift), which ld.so reads
# from glibc 2.36 on; libc6's symbols file does not say so, so dpkg-shlibdeps may ask less.
if readelf -V "$binary_path" | grep -q GLIBC_ABI_DT_RELR; then
    libc=$(sed -n 's/.*libc6 (>= \([^)]*\)).*/\1/p' <<<"$shlibs")
    if [ -n "$libc" ] && dpkg --compare-versions "$libc" lt 2.36; then
        shlibs=$(sed "s/libc6 (>= $libc)/libc6 (>= 2.36)/" <<<"$shlibs")
    fi
fi

mkdir -p "$root/DEBIAN"
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: dpbridge
Version: $version
Architecture: $arch
Maintainer: dpbridge developers <dpbridge@localhost>
Installed-Size: $installed_size
Depends: $shlibs, systemd (>= 252)
Section: net
Priority: optional
Homepage: https://github.com/dpbridge/dpbridge
Description: bridge between a clinic's scheduling system and Docplanner
 dpbridge receives Docplanner's Integrations API callbacks on its own HTTP/1.1
 server, stores each one durably in SQLite before answering, applies them to the
 clinic's system, and sends the clinic's changes back to Docplanner. It runs as a
 systemd service (notify, watchdog, socket activation) and logs to journald.
EOF
echo "/etc/dpbridge/dpbridge.yaml" > "$root/DEBIAN/conffiles"

cat > "$root/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = configure ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
    # An upgrade restarts a running daemon; a first install leaves enabling to the operator.
    if systemctl is-active --quiet dpbridge.service; then systemctl try-restart dpbridge.service || true; fi
fi
EOF
cat > "$root/DEBIAN/prerm" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
    systemctl stop dpbridge.socket dpbridge.service || true
fi
EOF
cat > "$root/DEBIAN/postrm" <<'EOF'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
EOF
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"

package="$dir/dpbridge_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$root" "$package" >/dev/null
echo "make-deb: $package"
echo "make-deb: Depends: $shlibs, systemd (>= 252)"
