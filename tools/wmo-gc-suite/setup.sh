#!/usr/bin/env bash
# Prepares everything the WMO WIS2 Global Cache test-suite harness needs. Idempotent; run as root
# (apt-get) or with the Debian packages already installed. Downloads nothing at run time except
# Debian packages: the third-party sources come from git snapshots you already have (see
# README.md, "Sources"), nothing fetched is kept in the repository (.gitignore).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

# Pinned versions of the third-party sources (owner/name  ref).
SUITE_REPO=wmo-im/wis2-global-services-testing; SUITE_REF=063d8b6b22389bff7b9c32ed0d002e471af3879b
PUBSUB_REPO=wmo-im/pywis-pubsub;                 PUBSUB_REF=17e2920d2de8aee50f204a3e7e42729b6fec55a7
PROMCLI_REPO=4n4nd/prometheus-api-client-python; PROMCLI_REF=66258d8cb5e6500d9539aca5c793ba8e84a18c1d
WNM_REPO=wmo-im/wis2-notification-message;       WNM_REF=cc09ad1e693fbd54e92f231c4d414e617ca8db44
PAHO_REPO=eclipse-paho/paho.mqtt.python;         PAHO_REF=v2.1.0
# Where bare git snapshots live (the fetch tool's layout: <mirror>/<owner>+<name>/repo).
MIRROR="${WMO_GC_MIRROR:-/work/.mirror}"

log() { printf '[setup] %s\n' "$*"; }

# --- 1. Debian packages -------------------------------------------------------------------------
DEB_PKGS=(mosquitto mosquitto-clients apache2-utils openssl python3 python3-venv python3-pip
  python3-setuptools python3-wheel python3-hatchling python3-paho-mqtt python3-dotenv python3-slugify
  python3-pytest python3-requests python3-jsonschema python3-click python3-yaml python3-dateparser
  python3-boto3 python3-shapely)
missing=()
for p in "${DEB_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then echo "need root for apt-get install ${missing[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
else
  log "Debian packages present"
fi
# mosquitto's Debian package may start a system broker on 1883 where systemd runs; the harness
# starts its own brokers on other ports and never uses that one.

# --- 2. third-party sources ---------------------------------------------------------------------
# get_src owner/name ref destdir: a tree of that ref, from $SRC_<NAME> (a work tree you checked
# out at that ref), the bare mirror, or (WMO_GC_CLONE=1) a clone from GitHub.
get_src() {
  local slug=$1 ref=$2 dest=$3 var=$4
  if [[ -f "$dest/.harness-ref" && "$(cat "$dest/.harness-ref")" == "$ref" ]]; then return 0; fi
  rm -rf "$dest"; mkdir -p "$dest"
  local bare="$MIRROR/${slug/\//+}/repo" override="${!var:-}"
  if [[ -n "$override" ]]; then
    log "$slug: copying $override (you vouch it is $ref)"
    (cd "$override" && tar -c --exclude=.git .) | tar -x -C "$dest"
  elif [[ -d "$bare" ]] && git --git-dir="$bare" cat-file -e "$ref^{commit}" 2>/dev/null; then
    log "$slug: $ref from $bare"
    git --git-dir="$bare" archive "$ref" | tar -x -C "$dest"
  elif [[ "${WMO_GC_CLONE:-0}" == 1 ]]; then
    log "$slug: cloning from GitHub"
    local tmp; tmp=$(mktemp -d)
    git clone -q "https://github.com/$slug.git" "$tmp/r"
    git -C "$tmp/r" archive "$ref" | tar -x -C "$dest"
    rm -rf "$tmp"
  else
    echo "No source for $slug at $ref. Provide one of: a bare git snapshot at $bare," \
         "\$$var=<work tree at $ref>, or WMO_GC_CLONE=1 (needs GitHub access)." >&2
    rm -rf "$dest"; exit 1
  fi
  echo "$ref" > "$dest/.harness-ref"
}
mkdir -p src
get_src "$SUITE_REPO"  "$SUITE_REF"  src/wis2-global-services-testing SRC_SUITE
get_src "$PUBSUB_REPO" "$PUBSUB_REF" src/pywis-pubsub                 SRC_PYWIS_PUBSUB
get_src "$PROMCLI_REPO" "$PROMCLI_REF" src/prometheus-api-client-python SRC_PROMETHEUS_API_CLIENT
get_src "$WNM_REPO"    "$WNM_REF"    src/wis2-notification-message    SRC_WNM
get_src "$PAHO_REPO"   "$PAHO_REF"   src/paho.mqtt.python             SRC_PAHO

# --- 3. venv over Debian's python3, with the libraries the suite needs -------------------------
# Debian 12 ships paho-mqtt 1.6.1; pywis-pubsub 0.9 needs paho-mqtt 2.x (CallbackAPIVersion), so
# paho 2.1.0 is installed from source into the venv and shadows Debian's.
VENV="$HERE/.venv"
if [[ ! -x "$VENV/bin/python" ]]; then
  log "creating venv $VENV (system site packages)"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
PIP=("$VENV/bin/python" -m pip install -q --no-deps --no-build-isolation --no-index --disable-pip-version-check)
have() { "$VENV/bin/python" - "$@" <<'EOF'
import sys, importlib.metadata as m
try:
    sys.exit(0 if m.version(sys.argv[1]) == sys.argv[2] else 1)
except m.PackageNotFoundError:
    sys.exit(1)
EOF
}
have paho-mqtt 2.1.0 || { log "installing paho-mqtt 2.1.0 from source"; "${PIP[@]}" ./src/paho.mqtt.python; }
have pywis-pubsub 0.9.dev0 || { log "installing pywis-pubsub from source"; "${PIP[@]}" ./src/pywis-pubsub; }
have prometheus-api-client 0.7.2 || { log "installing prometheus-api-client from source"; "${PIP[@]}" ./src/prometheus-api-client-python; }
# A `pytest` command in the venv (Debian's pytest lives in the system site packages), so that the
# suite runs with the same command line as tests/global_cache/test_global_cache.sh.
cat > "$VENV/bin/pytest" <<EOF
#!$VENV/bin/python
import sys
from pytest import console_main
sys.exit(console_main())
EOF
chmod +x "$VENV/bin/pytest"
"$VENV/bin/python" -c 'import paho.mqtt, pywis_pubsub, prometheus_api_client, dotenv, slugify, pytest, jsonschema; from prometheus_api_client import PrometheusConnect; print("[setup] python libs: paho", paho.mqtt.__version__, "pywis-pubsub", pywis_pubsub.__version__, "prometheus-api-client", prometheus_api_client.__version__, "pytest", pytest.__version__)'

# --- 4. the WNM schema where `pywis-pubsub schema sync` would put it -----------------------------
# pywis_pubsub/schema.py: Path.home()/.pywis-pubsub/wis2-notification-message/wis2-notification-message-bundled.json,
# downloaded from the main branch of wis2-notification-message. No internet here, so copy it.
SCHEMA_DST="$HOME/.pywis-pubsub/wis2-notification-message/wis2-notification-message-bundled.json"
mkdir -p "$(dirname "$SCHEMA_DST")"
cp src/wis2-notification-message/schemas/wis2-notification-message-bundled.json "$SCHEMA_DST"
log "WNM schema at $SCHEMA_DST"

# --- 5. an unchanged copy of the suite's tests/ --------------------------------------------------
# The suite is a package (tests/__init__.py); its parent directory (suite/) must hold no __init__.py.
rm -rf suite; mkdir -p suite
cp -a src/wis2-global-services-testing/tests suite/tests
# A manifest of git blob ids: run.sh checks the copy against it before every run.
(cd suite && find tests -type f | sort | while read -r f; do printf '%s  %s\n' "$(git hash-object "$f")" "$f"; done) > suite/MANIFEST
(cd src/wis2-global-services-testing && echo "$SUITE_REPO $(cat .harness-ref)") > suite/SOURCE
log "suite copy: suite/tests ($(wc -l < suite/MANIFEST) files, $SUITE_REPO@${SUITE_REF:0:7})"

# --- 6. a self-signed certificate for the optional HTTPS data servers (NODE_SCHEME=https) -------
mkdir -p pki
if [[ ! -f pki/node.crt ]]; then
  san="DNS:localhost"; for n in $(seq 1 30); do san+=",IP:127.0.0.$n"; done
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=wmo-gc-suite fake WIS2 node" \
    -addext "subjectAltName=$san" -keyout pki/node.key -out pki/node.crt 2>/dev/null
  if command -v keytool >/dev/null; then
    keytool -importcert -noprompt -alias wmo-gc-suite-node -file pki/node.crt \
      -keystore pki/truststore.p12 -storetype PKCS12 -storepass changeit >/dev/null
  fi
  log "made pki/node.crt (and pki/truststore.p12 for a JVM, password changeit)"
fi
log "done"
