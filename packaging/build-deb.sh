#!/usr/bin/env bash
# Build the PyInstaller bundle and the .deb (`make package`). Output: dist/doorstep_<ver>_<arch>.deb
# and build/package/bundle/doorstep/. Everything stays inside the clone (build/, dist/).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PY:-.venv/bin/python}
BUILD=build/package
DIST=dist

section() { printf '\n==== %s ====\n' "$*"; }

VERSION=$("$PY" -c 'import app; print(app.__version__)')
ARCH=$(dpkg --print-architecture)

section "PyInstaller bundle (doorstep $VERSION)"
start=$(date +%s)
# Incremental: PyInstaller reuses its analysis in $BUILD/work when nothing changed.
"$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$BUILD/bundle" --workpath "$BUILD/work" packaging/doorstep.spec
echo "bundle built in $(( $(date +%s) - start )) s: $(du -sh "$BUILD/bundle/doorstep" | cut -f1)"

section "Debian staging tree"
STAGE="$BUILD/deb/doorstep_${VERSION}_${ARCH}"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/etc/doorstep" \
    "$STAGE/usr/share/applications" "$STAGE/usr/share/doc/doorstep" \
    "$STAGE/usr/share/icons/hicolor/scalable/apps" \
    "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/icons/hicolor/48x48/apps"
cp -a "$BUILD/bundle/doorstep" "$STAGE/opt/doorstep"
ln -s /opt/doorstep/doorstep "$STAGE/usr/bin/doorstep"
install -m 644 packaging/debian/doorstep.desktop "$STAGE/usr/share/applications/"
install -m 644 resources/icons/doorstep.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/"
install -m 644 resources/icons/doorstep-256.png \
    "$STAGE/usr/share/icons/hicolor/256x256/apps/doorstep.png"
install -m 644 resources/icons/doorstep-48.png \
    "$STAGE/usr/share/icons/hicolor/48x48/apps/doorstep.png"
install -m 644 docs/deployment.md "$STAGE/usr/share/doc/doorstep/"
# The machine config lists every key from app.config, commented out at its default.
"$PY" -c 'from app.support.policydoc import machine_config_template as t; print(t(), end="")' \
    > "$STAGE/etc/doorstep/config.toml"
chmod 644 "$STAGE/etc/doorstep/config.toml"
install -m 755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm \
    "$STAGE/DEBIAN/"
install -m 644 packaging/debian/conffiles "$STAGE/DEBIAN/"

# Depends: packaging/debian/depends (what PyInstaller never bundles: the C library,
# OpenGL/EGL, fonts, and the xcb/Wayland libraries Qt's plugins load), plus the package of
# every system library the spec left out of the bundle (build/.../system-libraries.txt).
SYSTEM_LIBS="$BUILD/work/doorstep/system-libraries.txt"
owner() {
    # usrmerge: dpkg may know a library under /lib or under /usr/lib.
    dpkg -S "$1" 2>/dev/null || dpkg -S "${1#/usr}" 2>/dev/null || dpkg -S "/usr$1" 2>/dev/null \
        || { echo "no Debian package owns $1; cannot depend on it" >&2; return 1; }
}
found=()
if [[ -s "$SYSTEM_LIBS" ]]; then
    while read -r lib; do
        found+=("$(owner "$lib" | head -1 | cut -d: -f1)")
    done < "$SYSTEM_LIBS"
fi
DEPENDS=$( { grep -v '^ *$' packaging/debian/depends; printf '%s\n' "${found[@]}"; } \
    | awk '!seen[$1]++' | paste -sd, - | sed 's/,/, /g')
echo "Depends: $DEPENDS"
SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE/" \
    -e "s/@DEPENDS@/$DEPENDS/" packaging/debian/control.in > "$STAGE/DEBIAN/control"

section ".deb"
mkdir -p "$DIST"
start=$(date +%s)
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DIST/" >/dev/null
DEB="$DIST/doorstep_${VERSION}_${ARCH}.deb"
echo "$DEB built in $(( $(date +%s) - start )) s: $(du -h "$DEB" | cut -f1)"
