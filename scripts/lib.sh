# Helpers the scripts share: sourced from the repository's root (`source scripts/lib.sh`), never run.

# A TCP port free on 127.0.0.1 now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# install_debian SCRIPT PACKAGE...: installs the Debian packages named (the missing ones the
# caller found) with apt-get as root; as anyone else, stops naming them. Nothing named, nothing done.
install_debian() {
  local script=$1; shift
  [ $# -gt 0 ] || return 0
  [ "$(id -u)" -eq 0 ] || { echo "$script: $* missing and not root; install them and run again" >&2; exit 1; }
  echo "==> Installing $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# install_pip PACKAGE==VERSION...: installs the PyPI packages named, at those versions.
install_pip() {
  [ $# -gt 0 ] || return 0
  echo "==> Installing $* (pip)"
  python3 -m pip install --quiet --disable-pip-version-check "$@"
}

# check_when_quiet DRILL_BINARY ARGS...: polls `emporium-drill check` until the platform's
# invariants hold (work a crash interrupted is resumed by timers: a charge after 30 s, a
# notification after 150 s), at most 240 s, then prints the last report (non-zero if it fails).
check_when_quiet() {
  local drill_bin=$1; shift
  for _ in $(seq 1 120); do
    "$drill_bin" check --quiet "$@" >/dev/null 2>&1 && break
    sleep 2
  done
  echo "==> Consistency check"
  "$drill_bin" check "$@"
}

# start_embedded BINARY DIR [ARGS...]: starts the embedded platform in the background on a free
# loopback port, its data and output under DIR, and waits for its ready line (at most 30 s);
# sets embedded_pid and embedded_url. The caller stops it (kill -TERM "$embedded_pid").
start_embedded() {
  local binary=$1 dir=$2; shift 2
  local port; port=$(free_port)
  "$binary" --data-dir "$dir/data" --port "$port" "$@" >"$dir/platform.log" 2>&1 &
  embedded_pid=$!
  embedded_url="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do grep -q '^Emporium is ready' "$dir/platform.log" && return 0; sleep 0.1; done
  cat "$dir/platform.log" >&2
  return 1
}
