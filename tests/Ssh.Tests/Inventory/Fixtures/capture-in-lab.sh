#!/bin/bash
# Captures the inventory fixtures, and the Core fixtures the inventory script embeds, on lab host sblab-h1.
# Needs a namespace lab that is up (lab/up 3: two containers per host) and the lab lock held by the caller, e.g.
#   flock /run/sblab-tests.lock bash -c 'export SBLAB_TEST_RUN=1; lab/up 3 >/dev/null && tests/Ssh.Tests/Inventory/Fixtures/capture-in-lab.sh; lab/down'
# Writes (see README.md here and tests/Core.Tests/Fixtures/README.md):
#   sblab-h1.out                                          inventory.sh on h1 as lab/up left it
#   Core kernel-features/sandbox-builtin-vxlan-no-gre-no-l2tp.txt   the feature probe on h1 (the machine's kernel)
#   Core dnsmasq-cmdline/lab-h1-port0.bin                 the dnsmasq probe on h1 with one dnsmasq running there
#   Core ip-link/lab-h1-bridge-vxlan-container.json       ip -j -d link show  } on h1 with a bridge, a VXLAN port and
#   Core ip-addr/lab-h1-bridge-vxlan-container-details.json ip -j -d addr show } h1-c2's host veth, back to back
# and removes the scene again. It checks that h2's dnsmasq probe does not list h1's dnsmasq (same /proc, other netns).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
core=$(cd "$here/../../../Core.Tests/Fixtures" && pwd)
ssh_h() {
  local host=$1
  shift
  ssh -i /run/sblab/id_ed25519 -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o BatchMode=yes -o LogLevel=ERROR "root@198.51.100.$host" "$@"
}

ssh_h 1 'sh -s' <"$here/inventory.sh" >"$here/sblab-h1.out"
ssh_h 1 'sh -s' <"$core/kernel-features/probe.sh" >"$core/kernel-features/sandbox-builtin-vxlan-no-gre-no-l2tp.txt"

cleanup() {
  ssh_h 1 'kill "$(cat /run/sblab/sbcap-dnsmasq.pid)" 2>/dev/null
    ip link set "$(lxc-info -n h1-c2 | sed -n "s/^Link: *//p")" nomaster 2>/dev/null
    ip link del sbcap-vx0 2>/dev/null; ip link del sbcap-br0 2>/dev/null; true' >&2
}
trap cleanup EXIT
ssh_h 1 'set -e
  dnsmasq --port=0 --interface=lo --bind-interfaces --pid-file=/run/sblab/sbcap-dnsmasq.pid --conf-file=/dev/null
  ip link add sbcap-br0 type bridge; ip link set sbcap-br0 mtu 1450
  ip addr add 203.0.113.129/25 dev sbcap-br0
  ip link add sbcap-vx0 type vxlan id 4242 local 198.51.100.1 dstport 4789 dev eth0 nolearning
  bridge fdb append 00:00:00:00:00:00 dev sbcap-vx0 dst 198.51.100.2
  ip link set sbcap-vx0 master sbcap-br0 up
  ip link set "$(lxc-info -n h1-c2 | sed -n "s/^Link: *//p")" master sbcap-br0
  ip link set sbcap-br0 up
  sleep 1' >&2
ssh_h 1 'sh -s' <"$core/dnsmasq-cmdline/probe.sh" >"$core/dnsmasq-cmdline/lab-h1-port0.bin"
h2=$(ssh_h 2 'sh -s' <"$core/dnsmasq-cmdline/probe.sh")
[[ -z $h2 ]] || { echo "h2's dnsmasq probe lists another namespace's dnsmasq: $h2" >&2; exit 1; }
ssh_h 1 'ip -j -d link show; echo; ip -j -d addr show' >/tmp/sbcap-ip.$$
sed -n 1p /tmp/sbcap-ip.$$ >"$core/ip-link/lab-h1-bridge-vxlan-container.json"
sed -n 3p /tmp/sbcap-ip.$$ >"$core/ip-addr/lab-h1-bridge-vxlan-container-details.json"
rm -f /tmp/sbcap-ip.$$
echo "captured on sblab-h1: $(ssh_h 1 'uname -r')" >&2
