#!/bin/sh
# Captures fwcap-firewalled.out: inventory.sh run with dash in a scratch network namespace (sblab-fwcap, made and
# deleted here; root) where every filter the inventory reads drops something: iptables (nf_tables) INPUT and FORWARD
# policies DROP, a legacy filter table whose FORWARD drops, and nftables.service's table inet filter with input
# policy drop. No LXC in the namespace's view matters here; the sections of interest are iptables-* and nft-ruleset.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ns=sblab-fwcap
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip netns del "$ns" 2>/dev/null || true
ip netns add "$ns"
ip netns exec "$ns" sh -e <<'RULES'
ip link set lo up
iptables -P INPUT DROP
iptables -A INPUT -i lo -j ACCEPT
iptables -P FORWARD DROP
iptables-legacy -P FORWARD DROP
nft add table inet filter
nft add chain inet filter input '{ type filter hook input priority filter; policy drop; }'
RULES
ip netns exec "$ns" dash "$here/inventory.sh" >"$here/fwcap-firewalled.out"
