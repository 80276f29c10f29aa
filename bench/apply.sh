#!/bin/bash
# bench/apply.sh [--hosts N] [--no-router-lab] [--replace-shared-lab] [-- BENCH-ARGS...]
#
# Brings up a lab of N hosts (default 100, no containers), runs bench/Apply.Bench against it (VXLAN segments of 10, 50
# and 100 hosts through the real dashboard's REST API beside the SSH floor and `ansible -m script`), then a second
# small lab (3 hosts, 1 container each) for the segment with a DHCP/NAT router and two attached containers, and brings
# the lab down. The lab has one fixed prefix (sblab), so this REPLACES any lab that is up: it refuses while a test run
# owns the lab (/run/sblab-tests.lock) and, unless --replace-shared-lab is given, while any sblab namespace exists.
# See bench/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEST_RUN_LOCK=/run/sblab-tests.lock
BENCH_DLL="$ROOT/bench/Apply.Bench/bin/Release/net10.0/Superbridge.Apply.Bench.dll"

usage() {
  echo "usage: bench/apply.sh [--hosts N] [--no-router-lab] [--replace-shared-lab] [-- BENCH-ARGS...]" >&2
  exit 2
}
log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

hosts=100
router_lab=true
replace=false
bench_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --hosts) [[ $# -ge 2 ]] || usage; hosts=$2; shift ;;
    --no-router-lab) router_lab=false ;;
    --replace-shared-lab) replace=true ;;
    --) shift; bench_args=("$@"); break ;;
    -h | --help) usage ;;
    *) usage ;;
  esac
  shift
done
[[ $hosts =~ ^[0-9]+$ && $hosts -ge 1 && $hosts -le 190 ]] || usage
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
  # DPkg::Lock::Timeout: wait for another apt/dpkg run (machine setup) instead of failing at once.
  apt=(apt-get -o DPkg::Lock::Timeout=600)
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends ansible >&2 \
    || { "${apt[@]}" update -qq >&2 && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends ansible >&2; }
fi

# Release: Dashboard.Support starts src/Web's build output of the same configuration, built here with it.
log "building bench/Apply.Bench (Release)"
dotnet build "$ROOT/bench/Apply.Bench/Apply.Bench.csproj" -c Release -nologo -v q >&2

cleanup() {
  log "bringing the lab down"
  SBLAB_TEST_RUN=1 "$ROOT/lab/down" 8>&- >&2 || log "warning: lab/down failed"
}
trap cleanup EXIT

# SBLAB_TEST_RUN=1: this script holds the test-run lock itself, which lab/up and lab/down otherwise refuse to run under.
log "bringing up $hosts hosts with no containers"
started=$(date +%s)
SBLAB_TEST_RUN=1 "$ROOT/lab/up" "$hosts" --containers 0 8>&- >&2
log "lab/up $hosts took $(( $(date +%s) - started )) s"
dotnet "$BENCH_DLL" --lab /run/sblab/lab.json --skip-router "${bench_args[@]}" 8>&-

if [[ $router_lab == true ]]; then
  echo
  # Containers on 100 hosts would make lab/up far slower; the router case needs them on hosts 2 and 3 only.
  log "bringing up 3 hosts with 1 container each (router segment)"
  SBLAB_TEST_RUN=1 "$ROOT/lab/up" 3 --containers 1 8>&- >&2
  dotnet "$BENCH_DLL" --lab /run/sblab/lab.json --sizes 3 --skip-ansible "${bench_args[@]}" 8>&-
fi
