#!/bin/bash
# bench/inventory.sh [--hosts N] [--containers K] [--replace-shared-lab] [-- BENCH-ARGS...]
#
# Brings up a lab of N hosts (default 20, no containers), runs bench/Inventory.Bench against it (Superbridge
# cold and warm refresh beside a sequential OpenSSH loop and `ansible all -m shell`), and brings the lab down.
# The lab has one fixed prefix (sblab), so this REPLACES any lab that is up: it refuses while a test run owns
# the lab (/run/sblab-tests.lock) and, unless --replace-shared-lab is given, while any sblab namespace exists.
# See bench/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEST_RUN_LOCK=/run/sblab-tests.lock

usage() {
  echo "usage: bench/inventory.sh [--hosts N] [--containers K] [--replace-shared-lab] [-- BENCH-ARGS...]" >&2
  exit 2
}
log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

hosts=20
containers=0
replace=false
bench_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --hosts) [[ $# -ge 2 ]] || usage; hosts=$2; shift ;;
    --containers) [[ $# -ge 2 ]] || usage; containers=$2; shift ;;
    --replace-shared-lab) replace=true ;;
    --) shift; bench_args=("$@"); break ;;
    -h | --help) usage ;;
    *) usage ;;
  esac
  shift
done
[[ $hosts =~ ^[0-9]+$ && $containers =~ ^[0-9]$ ]] || usage
[[ $(id -u) -eq 0 ]] || die "must run as root (lab/up needs it)"

# A test process that brought the lab up holds this lock until its lab/down; taking it keeps test runs
# (LabFixture) from building a lab under the bench, and the bench from tearing down theirs.
exec 8>"$TEST_RUN_LOCK"
flock -n 8 || die "a test run owns the lab ($TEST_RUN_LOCK is held); run the bench when it is done"
if ip netns list 2>/dev/null | awk '{ print $1 }' | grep -q '^sblab-'; then
  [[ $replace == true ]] || die "a lab is up and may be in use (ip netns list shows sblab-*); when nobody uses it, run again with --replace-shared-lab"
  log "replacing the lab that is up (--replace-shared-lab)"
fi

if ! command -v ansible >/dev/null 2>&1; then
  log "installing Debian's ansible"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ansible >&2 \
    || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ansible >&2; }
fi

log "building bench/Inventory.Bench (Release)"
dotnet build "$ROOT/bench/Inventory.Bench/Inventory.Bench.csproj" -c Release -nologo -v q >&2

cleanup() {
  log "bringing the lab down"
  SBLAB_TEST_RUN=1 "$ROOT/lab/down" 8>&- >&2 || log "warning: lab/down failed"
}
trap cleanup EXIT

log "bringing up $hosts hosts with $containers container(s) each"
# SBLAB_TEST_RUN=1: this script holds the test-run lock itself, which lab/up and lab/down otherwise refuse to run under.
SBLAB_TEST_RUN=1 "$ROOT/lab/up" "$hosts" --containers "$containers" 8>&- >&2

# Twice: as root (what the brief of the bench asks), and as the sudo user, whose login runs no ~/.bashrc: on a
# machine where root's ~/.bashrc is slow (pyenv init...), every exec channel as root pays for it, whatever the tool.
for user in root sudo; do
  dotnet "$ROOT/bench/Inventory.Bench/bin/Release/net10.0/Superbridge.Inventory.Bench.dll" \
    --lab /run/sblab/lab.json --user "$user" "${bench_args[@]}" 8>&-
  echo
done
