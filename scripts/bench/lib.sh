# Shared helpers for the scripts in scripts/bench (throughput, startup, ping, probe, http, files). Sourced, not run.
# Everything here talks to 127.0.0.1 only.

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ensure_tools CMD... : installs the Debian package of every missing command (one apt-get update first).
ensure_tools() {
  local missing=() cmd pkg
  for cmd in "$@"; do
    if [[ $cmd == nc ]]; then
      # Only OpenBSD netcat has -N (half-close at EOF); the traditional one does not.
      command -v nc >/dev/null && [[ $(nc -h 2>&1) == *OpenBSD* ]] || missing+=(netcat-openbsd)
      continue
    fi
    if [[ $cmd == time ]]; then
      # `time` is also a bash keyword: what is wanted is GNU time, /usr/bin/time (-f %M: peak RSS).
      [[ -x /usr/bin/time ]] || missing+=(time)
      continue
    fi
    command -v "$cmd" >/dev/null && continue
    case $cmd in
      taskset) pkg=util-linux ;;
      timeout|sha256sum|numfmt) pkg=coreutils ;;
      *) pkg=$cmd ;;   # socat, ncat, iperf3, hyperfine, python3, openssl, nmap, curl, busybox, gcc: named as the command
    esac
    missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  log "== installing missing tools: ${missing[*]}"
  [[ $(id -u) == 0 ]] || die "need root to apt-get install ${missing[*]} (or install them yourself)"
  apt-get update -qq >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
}

# ensure_nsock: sets NSOCK to the native-AOT binary, building it (scripts/build --no-demo) when missing.
ensure_nsock() {
  NSOCK=${NSOCK:-$bench_root/artifacts/bin/nsock}
  if [[ ! -x $NSOCK ]]; then
    log "== $NSOCK missing: building it (bash scripts/build --no-demo)"
    timeout 900 bash "$bench_root/scripts/build" --no-demo >&2 || die "build failed"
  fi
  [[ -x $NSOCK ]] || die "no nsock binary at $NSOCK"
}

# free_port: a TCP port on 127.0.0.1 that was free a moment ago (bound to 0 by python3, then released).
free_port() {
  timeout 10 python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# is_listening PORT: true when some socket is in LISTEN state on PORT (reads /proc, never connects, so a
# one-shot listener like `nc -l` is not used up by the check).
is_listening() {
  local hex line
  printf -v hex ':%04X' "$1"
  for f in /proc/net/tcp /proc/net/tcp6; do
    [[ -r $f ]] || continue
    while read -r _ local _ st _; do
      [[ $st == 0A && $local == *"$hex" ]] && return 0
    done <"$f"
  done
  return 1
}

# now_ns: wall clock in nanoseconds without forking (bash 5 EPOCHREALTIME), else date.
now_ns() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then
    local t=${EPOCHREALTIME/[.,]/}
    echo "${t}000"
  else
    date +%s%N
  fi
}

# to_bytes SIZE: bytes from a plain count or an IEC size (256M, 1G, 2GiB).
to_bytes() {
  local v=${1%B}; v=${v%i}
  [[ $v =~ ^[0-9]+$ ]] && { echo "$v"; return; }
  numfmt --from=iec "$v" 2>/dev/null || die "cannot read size '$1' (try 1G, 256M or a byte count)"
}

# write_random_file PATH BYTES: random data (a 64 MiB /dev/urandom block, repeated), synced, then read once so
# that it is in the page cache.
write_random_file() {
  local path=$1 bytes=$2 chunk=$((64 << 20)) i
  ((bytes < chunk)) && chunk=$bytes
  head -c "$chunk" /dev/urandom >"$path.chunk" || die "cannot write $path.chunk"
  {
    for ((i = 0; i < bytes / chunk; i++)); do cat "$path.chunk"; done
    head -c $((bytes % chunk)) "$path.chunk"
  } >"$path" || die "cannot write $path"
  rm -f "$path.chunk"
  [[ $(stat -c %s "$path") == "$bytes" ]] || die "$path has the wrong size"
  sync "$path" 2>/dev/null || sync
  timeout 600 cat "$path" >/dev/null
}
