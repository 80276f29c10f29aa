# shellcheck shell=bash disable=SC2034 # constants are used by the scripts sourcing this
# Shared constants and helpers for lab/up, lab/down, lab/status and lab/exec.
# Sourced, not executed. Every object the lab creates carries the prefix
# "sblab" so cleanup can find leftovers by name alone, even when a killed run
# never wrote its state file.

LAB_PREFIX=sblab
LAB_STATE=/run/sblab
LAB_LOCK=/run/sblab.lock
# Held by a test run (tests/Lab.Support) for as long as it uses the lab.
LAB_TESTS_LOCK=/run/sblab-tests.lock
LAB_BRIDGE=sblab-br
LAB_UPSTREAM_NS=sblab-up
LAB_NET=198.51.100
LAB_ROOT_ADDRESS=198.51.100.254
LAB_UPSTREAM_UNDERLAY=198.51.100.253
LAB_UPSTREAM_ADDRESS=203.0.113.1
LAB_SUDO_USER=sblab-user
# Hosts behind a 1:1 NAT (lab/up --nat-hosts): host K holds 192.0.2.K on a link
# of its own to its NAT namespace sblab-natK (192.0.2.254), which holds the
# public 198.51.100.K on the underlay. Each link is separate, so every NAT host
# may use the same private subnet, as machines in different clouds do.
LAB_NAT_NET=192.0.2
LAB_NAT_GATEWAY=192.0.2.254
# The path-MTU filters of lab/path-mtu: one nftables table of the bridge family
# on the underlay bridge, in this (the root) namespace.
LAB_PATH_MTU_TABLE=sblab_path_mtu
LAB_MAX_HOSTS=200
# Where LXC keeps lock files for a container path: /run/lxc/lock/<lxcpath>.
LAB_LXC_LOCKS=/run/lxc/lock$LAB_STATE

LAB_PACKAGES=(openssh-server openssh-client dnsmasq-base iptables lxc
  busybox-static udhcpc bridge-utils sudo iproute2 util-linux nftables)

# strongSwan: when it is installed (strongswan-charon, strongswan-swanctl; test.sh
# installs them, lab/up does not), every host runs its own charon (see
# lab/README.md, "IPsec"). SBLAB_CHARON=0 makes lab/up start none.
LAB_CHARON=/usr/lib/ipsec/charon
LAB_SWANCTL=/usr/sbin/swanctl
LAB_CHARON_PLUGIN_DIR=/usr/lib/ipsec/plugins
# What a lab host's charon loads: IKEv2 (CBC/HMAC/MODP in userspace, KDF, SHA1
# for NAT detection), ESP in the kernel (kernel-netlink knows the kernel's
# AEADs such as aes256gcm16), sockets and vici. Nothing else: loading every
# installed plugin costs start time on each of up to 200 hosts.
LAB_CHARON_PLUGINS=(random nonce aes sha1 sha2 hmac gmp kdf kernel-netlink socket-default vici)
# Loaded too when installed (libstrongswan-standard-plugins, which libstrongswan
# recommends; test.sh installs it): AES-GCM, ECP and Curve25519 for IKE.
LAB_CHARON_OPTIONAL_PLUGINS=(openssl)
# Marks a lab charon's environment, so cleanup finds it even without its pid file.
LAB_CHARON_MARK=SBLAB_CHARON

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (namespaces, bridges and LXC need it)"
}

# Namespaces are the anchor of every lab host, so the list of lab namespaces
# is the list of lab hosts (plus the upstream one).
lab_namespaces() {
  ip netns list 2>/dev/null | awk -v p="$LAB_PREFIX-" 'index($1, p) == 1 { print $1 }'
}

# Root-namespace links named sblab-*; "name@peer" is cut to the name.
lab_links() {
  ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' \
    | awk -v p="$LAB_PREFIX-" 'index($1, p) == 1'
}

# Every cgroup hierarchy mounted in this mount namespace (v1 controllers and
# the v2 tree alike). Lab containers live under <mount>/sblab/<host>/ because
# lab/up sets lxc.cgroup.dir = sblab/<host>.
cgroup_mounts() {
  awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts
}

lab_cgroup_pids() {
  local mnt
  for mnt in $(cgroup_mounts); do
    [[ -d $mnt/$LAB_PREFIX ]] || continue
    find "$mnt/$LAB_PREFIX" -name cgroup.procs -exec cat {} + 2>/dev/null
  done | sort -un
}

# True when lab/up starts a charon per host.
lab_charon_enabled() {
  [[ ${SBLAB_CHARON:-1} != 0 && -x $LAB_CHARON && -x $LAB_SWANCTL ]]
}

# The hosts' charons: pids from their pid files (each charon's /run is
# $LAB_STATE/hI/charon-run) and every process whose environment carries the
# lab's mark (a killed run's charon whose state is gone), each checked for the
# mark so a reused pid is never taken for a charon.
lab_charon_pids() {
  local file pid
  {
    for file in "$LAB_STATE"/h[0-9]*/charon-run/charon.pid; do
      [[ -s $file ]] && echo "$(<"$file")"
    done
    grep -lsz "^$LAB_CHARON_MARK=$LAB_PREFIX-" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3
  } | sort -un | while read -r pid; do
    [[ $pid =~ ^[0-9]+$ ]] || continue
    grep -qsz "^$LAB_CHARON_MARK=$LAB_PREFIX-" "/proc/$pid/environ" && echo "$pid"
  done
  return 0
}

# Kill every process of the lab: container payloads and LXC monitors (found by
# cgroup, since a container has its own unnamed network namespace), then every
# process inside a lab network namespace (sshd, its sessions, charon, dnsmasq,
# httpd, whatever tests started), and any lab charon left outside one. SIGKILL: nothing in the lab holds state worth a
# graceful stop, and a stuck process must not block cleanup.
kill_lab_processes() {
  local pids ns
  for _ in $(seq 1 50); do
    mapfile -t pids < <(
      lab_cgroup_pids
      for ns in $(lab_namespaces); do ip netns pids "$ns" 2>/dev/null; done
      lab_charon_pids
    )
    [[ ${#pids[@]} -eq 0 ]] && return 0
    kill -KILL "${pids[@]}" 2>/dev/null || true
    sleep 0.1
  done
  log "warning: lab processes still alive after 5s: ${pids[*]}"
  return 1
}

remove_lab_cgroups() {
  local mnt
  for mnt in $(cgroup_mounts); do
    [[ -d $mnt/$LAB_PREFIX ]] || continue
    # A cgroup can only be removed once its killed tasks have exited, which
    # may take a moment after SIGKILL; retry briefly.
    for _ in $(seq 1 30); do
      find "$mnt/$LAB_PREFIX" -depth -type d -exec rmdir {} + 2>/dev/null || true
      [[ -d $mnt/$LAB_PREFIX ]] || break
      sleep 0.1
    done
    [[ -d $mnt/$LAB_PREFIX ]] && log "warning: could not remove cgroup $mnt/$LAB_PREFIX"
  done
  return 0
}

# Remove everything the lab may have created, whether or not a state file
# exists: processes, namespaces, links, cgroups, the user sblab-user,
# /etc/netns/sblab-*, state.
lab_cleanup() {
  local ns link
  kill_lab_processes || true
  for ns in $(lab_namespaces); do
    ip netns delete "$ns" 2>/dev/null || log "warning: could not delete namespace $ns"
  done
  # Deleting one end of a veth deletes both; a namespace's devices vanish with
  # it, but the root-side ends and the bridge live here.
  for link in $(lab_links); do
    ip link delete "$link" 2>/dev/null || true
  done
  nft delete table bridge "$LAB_PATH_MTU_TABLE" 2>/dev/null || true
  remove_lab_cgroups
  if getent passwd "$LAB_SUDO_USER" >/dev/null; then
    userdel --force "$LAB_SUDO_USER" 2>/dev/null || log "warning: could not remove user $LAB_SUDO_USER"
  fi
  rm -rf /etc/netns/"$LAB_PREFIX"-* "$LAB_STATE" "$LAB_LXC_LOCKS"
  # /run/lxc/lock/run is created by LXC for our lxcpath only when absent; drop
  # it again if it is now empty, never if someone else uses it.
  rmdir /run/lxc/lock/run 2>/dev/null || true
}

# Serialise up and down: two builders at once would tear each other down.
# The lock file descriptor is closed for every daemon the lab starts (9>&-),
# so only lab scripts and their short-lived jobs ever hold it. If the script
# that took the lock is gone (killed with -9), whatever still holds the lock is
# one of its orphaned build jobs: stop them rather than wait for them.
take_lock() {
  local owner holders
  exec 9>>"$LAB_LOCK"
  if ! flock -n 9; then
    owner=$(head -n 1 "$LAB_LOCK" 2>/dev/null || true)
    if [[ $owner =~ ^[0-9]+$ ]] && ! kill -0 "$owner" 2>/dev/null; then
      log "an earlier lab script (pid $owner) died; stopping its leftover jobs"
      # Repeat: a job may fork a new holder between the scan and the kill.
      for _ in $(seq 1 50); do
        mapfile -t holders < <(find /proc/[0-9]*/fd -lname "$LAB_LOCK" 2>/dev/null \
          | cut -d/ -f3 | sort -u | grep -vx "$$")
        if [[ ${#holders[@]} -gt 0 ]]; then kill -KILL "${holders[@]}" 2>/dev/null || true; fi
        flock -n 9 && break
        sleep 0.1
      done
    fi
    flock -w 180 9 || die "another lab/up or lab/down holds $LAB_LOCK for 3 minutes"
  fi
  echo "$$" >"$LAB_LOCK"
}

# lab/up and lab/down would pull the lab from under a running test run. The
# test run itself calls them with SBLAB_TEST_RUN=1; a person can override with
# SBLAB_FORCE=1.
refuse_during_test_run() {
  [[ ${SBLAB_TEST_RUN:-0} == 1 || ${SBLAB_FORCE:-0} == 1 ]] && return 0
  if [[ -e $LAB_TESTS_LOCK ]] && ! flock -n "$LAB_TESTS_LOCK" true; then
    die "a test run is using the lab (it holds $LAB_TESTS_LOCK); wait for it or set SBLAB_FORCE=1"
  fi
}

ensure_packages() {
  local missing
  # One dpkg-query for all: packages not installed (or unknown) are missing.
  mapfile -t missing < <(
    dpkg-query -W -f='${Package} ${Status}\n' "${LAB_PACKAGES[@]}" 2>/dev/null \
      | awk '$NF == "installed" { print $1 }' | sed 's/:.*//' \
      | sort | comm -13 - <(printf '%s\n' "${LAB_PACKAGES[@]}" | sort)
  )
  [[ ${#missing[@]} -eq 0 ]] && return 0
  log "installing missing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Joins a new namespace $1 to the underlay through a veth whose root end is
# named $1 (at most 15 characters, IFNAMSIZ) and whose namespace end is eth0.
attach_to_underlay() {
  local ns=$1 address=$2
  ip netns add "$ns"
  ip link add "$ns" type veth peer name eth0 netns "$ns"
  ip link set "$ns" master "$LAB_BRIDGE" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$address/24" dev eth0
  ip -n "$ns" link set eth0 up
}

host_index_from_arg() {
  # Accepts "3", "h3" or "sblab-h3".
  local arg=$1
  arg=${arg#"$LAB_PREFIX-"}
  arg=${arg#h}
  [[ $arg =~ ^[0-9]+$ ]] || die "not a lab host: $1"
  echo "$arg"
}

# Run a command on lab host <index> exactly as an SSH session there would:
# in the network, mount (per-host /etc/lxc, users, cgroups) and UTS namespaces
# of the host's sshd.
host_run() {
  local index=$1 pidfile
  shift
  pidfile=$LAB_STATE/h$index/sshd.pid
  [[ -s $pidfile ]] || die "lab host h$index has no running sshd ($pidfile)"
  nsenter --target "$(<"$pidfile")" --net --mount --uts -- "$@"
}
