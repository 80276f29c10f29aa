#!/bin/bash
# Captures the route fixtures in a scratch namespace sbcap-rt: eth0-like 192.0.2.10/24 (veths; private, default route, as
# behind a cloud's 1:1 NAT), mgmt 198.51.100.60/24 (a management network), a host route with a preferred source,
# a second default route with a higher metric, and IPv6 on the private link. Run as root; removes what it made.
set -euo pipefail
ns=sbcap-rt
ip netns del $ns 2>/dev/null || true
ip netns add $ns
trap 'ip netns del $ns' EXIT
ip -n $ns link add sbcap-priv type veth peer name sbcap-privp
ip -n $ns link add sbcap-mgmt type veth peer name sbcap-mgmtp
ip -n $ns link set lo up
ip -n $ns link set sbcap-priv up
ip -n $ns link set sbcap-mgmt up
ip -n $ns link set sbcap-privp up
ip -n $ns link set sbcap-mgmtp up
ip -n $ns addr add 192.0.2.10/24 dev sbcap-priv
ip -n $ns addr add 198.51.100.60/24 dev sbcap-mgmt
ip -n $ns addr add fd00:77::10/64 dev sbcap-priv nodad
ip -n $ns route add default via 192.0.2.1 dev sbcap-priv
ip -n $ns route add default via 198.51.100.254 dev sbcap-mgmt metric 200
ip -n $ns route add 203.0.113.7 via 198.51.100.254 dev sbcap-mgmt src 198.51.100.60
ip -n $ns -6 route add default via fd00:77::1 dev sbcap-priv
{ ip -n $ns -j -4 route show table main; ip -n $ns -j -6 route show table main; } > two-networks.txt
ip -n $ns -j addr show > two-networks-addr.json
