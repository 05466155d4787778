#!/usr/bin/env bash
# CI test of the .deb (`make package-test`, after `make package`): install with dpkg, run the
# installed app as a user would, remove, purge, and check what stays and what goes.
# Needs root on Debian (CI runs as root); touches only the `doorstep` package and /etc/doorstep.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PY:-.venv/bin/python}

section() { printf '\n==== %s ====\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
check() { echo "ok: $*"; }

if [[ "$(id -u)" != 0 ]]; then
    fail "run as root: the test installs and removes the package with dpkg"
fi

VERSION=$("$PY" -c 'import app; print(app.__version__)')
ARCH=$(dpkg --print-architecture)
DEB="dist/doorstep_${VERSION}_${ARCH}.deb"
[[ -f "$DEB" ]] || fail "$DEB does not exist; run 'make package' first"

installed() { [[ "$(dpkg-query -W -f='${db:Status-Status}' doorstep 2>/dev/null || true)" == "$1" ]]; }

section "Clean start"
if ! installed not-installed && ! installed ""; then
    echo "purging a doorstep package left by an earlier run"
    dpkg --purge doorstep >/dev/null
fi
if [[ -e /etc/doorstep ]]; then
    fail "/etc/doorstep exists without the package: not ours to remove, stopping"
fi

section "Dependencies"
mapfile -t wanted < <(sed 's/ *(.*//' packaging/debian/depends)
missing=()
for pkg in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == installed ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "all present"
fi

section "Install ($DEB, $(du -h "$DEB" | cut -f1))"
dpkg -i "$DEB"
installed installed || fail "dpkg does not report doorstep installed"
[[ "$(readlink /usr/bin/doorstep)" == /opt/doorstep/doorstep ]] || fail "/usr/bin/doorstep link"
[[ -x /opt/doorstep/doorstep ]] || fail "/opt/doorstep/doorstep missing"
[[ -f /etc/doorstep/config.toml ]] || fail "/etc/doorstep/config.toml missing"
[[ -f /usr/share/applications/doorstep.desktop ]] || fail "desktop entry missing"
[[ -f /usr/share/icons/hicolor/scalable/apps/doorstep.svg ]] || fail "icon missing"
dpkg-query -W -f='${Conffiles}\n' doorstep | grep -q '/etc/doorstep/config.toml' \
    || fail "config.toml is not a conffile"
check "files in place; config.toml is a conffile"

# Every shared library in the bundle must resolve on this machine (bundled, or from Depends).
# The bootloader puts _internal/ on the library path, so ldd is given the same.
unresolved=$(find /opt/doorstep -name '*.so*' -type f -print0 \
    | LD_LIBRARY_PATH=/opt/doorstep/_internal xargs -0 -n 50 ldd 2>/dev/null \
    | grep 'not found' | sort -u || true)
[[ -z "$unresolved" ]] || fail "libraries not found: $unresolved"
check "every bundled library resolves"

# A user of the installed app: a fresh home, the OS's per-user folders (no DOORSTEP_HOME).
USER_HOME=$(mktemp -d "$PWD/build/package/test-home.XXXXXX")
trap 'rm -rf "$USER_HOME"' EXIT
run_as_user() {
    env -i HOME="$USER_HOME" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"
}
DATA_DIR="$USER_HOME/.local/share/Doorstep"
LOG_DIR="$USER_HOME/.local/state/Doorstep/log"

section "doorstep --version"
got=$(run_as_user doorstep --version)
[[ "$got" == "doorstep $VERSION" ]] || fail "--version said '$got'"
check "$got"

section "doorstep self-test against a real platform over TLS with a private CA"
# The platform from this checkout, served over TLS by uvicorn with a certificate from a
# throwaway CA (as a council's TLS-inspecting proxy would present): proves the frozen app's
# TLS, CA-bundle and HTTP stack, and the installed machine-config command.
TLS_DIR="$USER_HOME/tls"
mkdir -p "$TLS_DIR"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=Doorstep CI Council CA" -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
    > "$TLS_DIR/server.ext"
openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" \
    -CAcreateserial -days 2 -extfile "$TLS_DIR/server.ext" -out "$TLS_DIR/server.pem" 2>/dev/null
free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
port=$(free_port)
DOORSTEP_DATABASE_URL="sqlite:///$TLS_DIR/platform.db" DOORSTEP_CLIENT_VERSION="$VERSION" \
    "$PY" -m uvicorn --factory server.app:create_app --host 127.0.0.1 --port "$port" \
    --ssl-keyfile "$TLS_DIR/server.key" --ssl-certfile "$TLS_DIR/server.pem" \
    --log-level warning &
PLATFORM_PID=$!
trap 'kill "$PLATFORM_PID" 2>/dev/null || true; rm -rf "$USER_HOME"' EXIT
"$PY" - "$port" <<'PYEOF' || fail "the test platform did not start"
import socket, sys, time
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(1)
PYEOF
# An administrator's edit to the conffile, made with the installed app: it must survive -r.
run_as_user doorstep machine-config --set "server_url=https://127.0.0.1:$port" \
    --set "ca_bundle=$TLS_DIR/ca.pem"
set +e
report=$(run_as_user doorstep self-test)
status=$?
set -e
echo "$report"
[[ $status == 0 ]] || fail "self-test exit status $status against a working platform; expected 0"
grep -q '^  PASS  tls' <<<"$report" || fail "TLS was not verified with the CA bundle"
grep -q '^  PASS  platform' <<<"$report" || fail "the platform was not reached"
grep -q '^  PASS  updates' <<<"$report" || fail "the client version was not checked"
check "self-test passes against the platform over TLS with the council's CA"

section "doorstep self-test against a platform that is not there"
kill "$PLATFORM_PID"
wait "$PLATFORM_PID" 2>/dev/null || true
set +e
report=$(run_as_user doorstep self-test)
status=$?
set -e
echo "$report"
[[ $status == 1 ]] || fail "self-test exit status $status with no platform; expected 1 (fail)"
grep -q '^  FAIL  platform' <<<"$report" || fail "no platform failure in the report"
grep -q '^Result: FAIL' <<<"$report" || fail "no result line"
check "self-test reports the unreachable platform and exits 1"
report=$(run_as_user doorstep self-test --offline --json)
"$PY" -c 'import json,sys; r=json.load(sys.stdin); assert r["passed"] and r["offline"], r' \
    <<<"$report" || fail "offline self-test did not pass"
check "offline self-test passes (local checks only)"

section "User data: a local store, logs and diagnostics"
run_as_user env DOORSTEP_STORE_PASSPHRASE=ci-store-passphrase doorstep import-demo --persons 5
[[ -s "$DATA_DIR/doorstep.db" ]] || fail "no store at $DATA_DIR/doorstep.db"
[[ -s "$LOG_DIR/doorstep.log" ]] || fail "no log at $LOG_DIR/doorstep.log"
run_as_user doorstep diagnostics --offline --output "$USER_HOME/diagnostics.zip"
"$PY" -m zipfile -l "$USER_HOME/diagnostics.zip" | grep -q 'logs/doorstep.log' \
    || fail "diagnostics zip has no log"
check "store, log and diagnostics made in the user's folders"

section "Bundled GUI, offscreen"
if [[ -f app/launcher.py ]]; then
    run_as_user env QT_QPA_PLATFORM=offscreen DOORSTEP_STORE_PASSPHRASE=ci-store-passphrase \
        doorstep gui --smoke-test
    check "doorstep gui --smoke-test exited 0"
else
    echo "SKIPPED: this tree has no GUI shell yet (app/launcher.py); the bundle is CLI-only"
fi

section "Remove (dpkg -r): program goes, machine config and user data stay"
dpkg -r doorstep
installed config-files || fail "after remove the package should be in state config-files"
[[ ! -e /opt/doorstep ]] || fail "/opt/doorstep still there"
[[ ! -e /usr/bin/doorstep ]] || fail "/usr/bin/doorstep still there"
[[ ! -e /usr/share/applications/doorstep.desktop ]] || fail "desktop entry still there"
grep -q "127.0.0.1:$port" /etc/doorstep/config.toml || fail "the edited conffile did not stay"
[[ -s "$DATA_DIR/doorstep.db" && -s "$LOG_DIR/doorstep.log" ]] || fail "user data touched"
check "program removed; /etc/doorstep/config.toml (edited) and user data kept"

section "Purge (dpkg -P): machine config goes, user data stays"
echo 'update_policy = "none"' > /etc/doorstep/policy.toml
dpkg -P doorstep
installed not-installed || installed "" || fail "package still known to dpkg after purge"
[[ ! -e /etc/doorstep ]] || fail "/etc/doorstep still there after purge"
[[ -s "$DATA_DIR/doorstep.db" && -s "$LOG_DIR/doorstep.log" ]] || fail "user data touched"
check "machine config purged; user data kept"

echo
echo "package test passed"
