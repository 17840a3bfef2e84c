# shellcheck shell=bash
# Shared helpers for scripts/*.sh — source it, do not run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/ensure.sh"
#
#   say MSG…                  progress line on stderr
#   warn MSG…                 warning line on stderr
#   die MSG…                  error line on stderr, exit 1
#   as_root CMD…              runs CMD as root (directly, or through `sudo -n`)
#   ensure_apt_packages PKG…  installs the Debian packages that are missing (apt-get update only when needed)
#   ensure_node_modules       `npm ci` when node_modules is missing or older than package-lock.json
#   ensure_postgres           makes the server of $TEST_PG_URL (default 127.0.0.1:5432) answer, or explains what to do
#   port_in_use PORT          true when something accepts TCP on 127.0.0.1:PORT
#
# REPO_ROOT is set to the repository root.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO_ROOT

say() {
  if [ -t 2 ]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2; else printf '==> %s\n' "$*" >&2; fi
}
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    die "this step needs root: $*  (run it as root, or give this user password-less sudo)"
  fi
}

_ENSURE_APT_UPDATED=0
_apt_update() {
  [ "$_ENSURE_APT_UPDATED" = 1 ] && return 0
  say "apt-get update"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || die "apt-get update failed"
  _ENSURE_APT_UPDATED=1
}

_apt_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

_apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# ensure_apt_packages PKG… — installs only the packages that are not installed yet.
ensure_apt_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    _apt_installed "$pkg" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing Debian packages (${missing[*]}) and no apt-get on this machine"
  # Refresh the package lists first only when apt knows no candidate for one of them (fresh machine).
  for pkg in "${missing[@]}"; do
    if ! apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [^(]'; then
      _apt_update
      break
    fi
  done
  say "installing Debian packages: ${missing[*]}"
  if ! _apt_install "${missing[@]}"; then
    # Stale lists (404 on a superseded version): refresh once and retry.
    [ "$_ENSURE_APT_UPDATED" = 1 ] && die "apt-get install ${missing[*]} failed"
    _apt_update
    _apt_install "${missing[@]}" || die "apt-get install ${missing[*]} failed"
  fi
}

# ensure_node_modules — `npm ci` when node_modules is missing or package-lock.json changed since the last install.
ensure_node_modules() {
  command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js 20 (with npm) first"
  local marker="$REPO_ROOT/node_modules/.package-lock.json"
  if [ ! -d "$REPO_ROOT/node_modules" ] || [ ! -f "$marker" ] || [ "$REPO_ROOT/package-lock.json" -nt "$marker" ]; then
    say "npm ci (node_modules missing or older than package-lock.json)"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund) || die "npm ci failed"
  fi
}

# port_in_use PORT — true (0) when something accepts TCP on 127.0.0.1:PORT.
port_in_use() {
  local port=$1
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
}

_pg_url() { printf '%s' "${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"; }

_pg_ready() { pg_isready -q -t 3 -d "$(_pg_url)"; }

_pg_wait() {
  local i
  for i in $(seq 1 30); do
    _pg_ready && return 0
    sleep 1
  done
  return 1
}

_pg_start_clusters() {
  local version started=1
  [ -d /etc/postgresql ] || return 1
  for version in $(ls /etc/postgresql 2>/dev/null); do
    [ -d "/etc/postgresql/$version/main" ] || continue
    started=0
    if as_root pg_ctlcluster "$version" main status >/dev/null 2>&1; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload || warn "pg_ctlcluster $version main reload failed"
    else
      say "starting PostgreSQL $version/main"
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || warn "pg_ctlcluster $version main start failed"
    fi
  done
  return $started
}

# Our own fresh install: let the test user in over TCP without a password (local test server only).
_pg_trust_loopback() {
  local hba
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    [ -f "$hba" ] || continue
    grep -q '^# added by scripts/lib/ensure.sh' "$hba" && continue
    say "allowing trust auth on 127.0.0.1/::1 in $hba (fresh test install)"
    as_root sed -i '1i # added by scripts/lib/ensure.sh: trust on loopback for the test suite\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  done
}

_pg_help() {
  cat >&2 <<EOF
ERROR: PostgreSQL is not reachable at $(_pg_url | sed -E 's#//([^:@/]+):[^@/]*@#//\1:***@#').
The tests need a PostgreSQL (13 or newer) server that the URL above can connect to and create databases on.
Do one of:
  - start the local cluster:   pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start
  - install one (Debian):      apt-get install -y postgresql && pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start
                               and allow the connection in /etc/postgresql/*/main/pg_hba.conf
                               (e.g. 'host all all 127.0.0.1/32 trust' for a throw-away test server)
  - or point the tests at another server:  export TEST_PG_URL=postgres://USER:PASSWORD@HOST:PORT/postgres
EOF
  exit 1
}

# ensure_postgres — the server of $TEST_PG_URL must answer and accept our login.
ensure_postgres() {
  command -v pg_isready >/dev/null 2>&1 && command -v psql >/dev/null 2>&1 || ensure_apt_packages postgresql-client
  local url host port
  url=$(_pg_url)
  if ! _pg_ready; then
    host=localhost port=5432
    if [[ $url =~ ^postgres(ql)?://([^@/]*@)?([^:/?]*)(:([0-9]+))? ]]; then
      host=${BASH_REMATCH[3]:-localhost}
      port=${BASH_REMATCH[5]:-5432}
    fi
    if [[ $host =~ ^(127\.0\.0\.1|localhost|::1|\[::1\])$ && $port = 5432 ]]; then
      if _pg_start_clusters; then
        _pg_wait || true
      else
        ensure_apt_packages postgresql
        _pg_trust_loopback
        _pg_start_clusters || true
        _pg_wait || true
      fi
    fi
    _pg_ready || _pg_help
  fi
  # Reachable; can we log in (auth) and create databases?
  local out
  if ! out=$(psql -X -q -At -d "$url" -c 'SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user' 2>&1); then
    printf '%s\n' "$out" >&2
    _pg_help
  fi
  [ "$out" = t ] || die "the PostgreSQL user of TEST_PG_URL cannot create databases (needs CREATEDB or superuser)"
}
