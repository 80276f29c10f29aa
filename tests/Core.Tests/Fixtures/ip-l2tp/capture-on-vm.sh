#!/bin/bash
# Captures the real gretap and L2TPv3 fixtures on a lab VM host (lab/vms up), whose
# Debian kernel has ip_gre and l2tp_*. Usage: capture-on-vm.sh [VM address, default 198.51.100.211]
# Builds the scene in scratch namespaces sbcap-a / sbcap-b on the VM (nothing leaves them),
# writes ip-link/vm-gretap-l2tp.json, ip-l2tp/vm-tunnels.txt, ip-l2tp/vm-sessions.txt,
# kernel-features/vm-debian-gre-l2tp.txt, then removes the scene again.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
vm=${1:-198.51.100.211}
ssh_vm() {
  ssh -i /run/sblab/id_ed25519 -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR "root@$vm" "$@"
}

ssh_vm 'set -e
modprobe ip_gre; modprobe l2tp_eth; modprobe l2tp_ip; modprobe l2tp_netlink
ip netns del sbcap-a 2>/dev/null || true; ip netns del sbcap-b 2>/dev/null || true
ip netns add sbcap-a; ip netns add sbcap-b
A="ip -n sbcap-a"
ip link add sbcap-u0 netns sbcap-a type veth peer name sbcap-u0p netns sbcap-b
$A link set lo up; $A addr add 198.51.100.77/24 dev sbcap-u0; $A link set sbcap-u0 up
ip -n sbcap-b addr add 198.51.100.78/24 dev sbcap-u0p; ip -n sbcap-b link set sbcap-u0p up
$A link add sbcap-br0 type bridge stp_state 0; $A link set sbcap-br0 mtu 1450
# gretap to host B: keys 7, ttl inherit, enslaved and up; a second one towards host C: local any, bound to the underlay, ttl 64, no keys, down
$A link add sbcap-gt0 type gretap local 198.51.100.77 remote 198.51.100.78 key 7 ttl inherit
$A link set sbcap-gt0 mtu 1462 master sbcap-br0 up
$A link add sbcap-gt1 type gretap remote 198.51.100.79 dev sbcap-u0 ttl 64
$A link set sbcap-gt1 mtu 1462
# L2TPv3: one UDP tunnel (1001 -> peer 2001, ports 5001/5002, session 1/1) and one IP-encap tunnel (1002 -> 2002, session 7 -> 8 with cookies and sequencing; iproute2 6.1 has no reorder_timeout on add)
$A l2tp add tunnel tunnel_id 1001 peer_tunnel_id 2001 encap udp local 198.51.100.77 remote 198.51.100.78 udp_sport 5001 udp_dport 5002
$A l2tp add session name sbcap-l2t0 tunnel_id 1001 session_id 1 peer_session_id 1
$A l2tp add tunnel tunnel_id 1002 peer_tunnel_id 2002 encap ip local 198.51.100.77 remote 198.51.100.79
$A l2tp add session name sbcap-l2t1 tunnel_id 1002 session_id 7 peer_session_id 8 cookie 0102030405060708 peer_cookie 0a0b0c0d seq both
$A link set sbcap-l2t1 master sbcap-br0 up
$A link set sbcap-br0 up
sleep 1' >&2

ssh_vm 'ip -n sbcap-a -j -d link show' >"$here/ip-link/vm-gretap-l2tp.json"
ssh_vm 'ip -n sbcap-a l2tp show tunnel' >"$here/ip-l2tp/vm-tunnels.txt"
ssh_vm 'ip -n sbcap-a l2tp show session' >"$here/ip-l2tp/vm-sessions.txt"
ssh_vm 'sh -s' <"$here/kernel-features/probe.sh" >"$here/kernel-features/vm-debian-gre-l2tp.txt"
ssh_vm 'ip netns del sbcap-a; ip netns del sbcap-b' >&2
echo "captured on $vm: $(ssh_vm 'uname -r')" >&2
