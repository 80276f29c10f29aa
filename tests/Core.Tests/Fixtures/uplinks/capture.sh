#!/bin/bash
# Captures the uplink fixtures in a scratch namespace sbcap-ul, a host seen by the management-NIC guard:
# sbcap-mgmt 198.51.100.60/24 (its SSH and tunnel address, default route), sbcap-spare (up, no address: a NIC fit for
# an uplink), sbcap-wan 192.0.2.10/24 (peers at 203.0.113.0/24 are routed by it), bridge sbcap-br9 with port
# sbcap-port, and superbr0 with port sbcap-in (already this segment's uplink). Run as root; removes what it made.
set -euo pipefail
cd "$(dirname "$0")"
ns=sbcap-ul
ip netns del $ns 2>/dev/null || true
ip netns add $ns
trap 'ip netns del $ns' EXIT
for d in mgmt spare wan port in; do
  ip -n $ns link add sbcap-$d type veth peer name sbcap-${d}p
  ip -n $ns link set sbcap-$d up
  ip -n $ns link set sbcap-${d}p up
done
ip -n $ns link set lo up
ip -n $ns link add sbcap-br9 type bridge
ip -n $ns link add superbr0 type bridge
ip -n $ns link set sbcap-port master sbcap-br9
ip -n $ns link set sbcap-in master superbr0
ip -n $ns link set sbcap-br9 up
ip -n $ns link set superbr0 up
ip -n $ns addr add 198.51.100.60/24 dev sbcap-mgmt
ip -n $ns addr add 192.0.2.10/24 dev sbcap-wan
ip -n $ns route add default via 198.51.100.254 dev sbcap-mgmt
ip -n $ns route add 203.0.113.0/24 via 192.0.2.1 dev sbcap-wan
ip -n $ns -j -d addr show > addr-details.json
{ ip -n $ns -j -4 route show table main; ip -n $ns -j -6 route show table main; } > routes.txt
