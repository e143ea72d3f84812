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
