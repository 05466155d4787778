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

# Libraries the bundle links from the system rather than carrying (PyInstaller leaves out
# the C library, OpenGL/EGL and the X11/xcb/font stack, which must match the machine).
DEPENDS=$(grep -v '^ *$' packaging/debian/depends | paste -sd, - | sed 's/,/, /g')
SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE/" \
    -e "s/@DEPENDS@/$DEPENDS/" packaging/debian/control.in > "$STAGE/DEBIAN/control"

section ".deb"
mkdir -p "$DIST"
start=$(date +%s)
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DIST/" >/dev/null
DEB="$DIST/doorstep_${VERSION}_${ARCH}.deb"
echo "$DEB built in $(( $(date +%s) - start )) s: $(du -h "$DEB" | cut -f1)"
