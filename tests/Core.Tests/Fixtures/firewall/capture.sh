#!/bin/sh
# Captures this folder's fixtures in a scratch network namespace (sblab-fwcap), made and deleted here; needs root,
# iptables (nf_tables and legacy) and nft. Each scene starts from an empty namespace. Run from this folder.
set -eu
ns=sblab-fwcap
in_ns() { ip netns exec "$ns" "$@"; }
fresh() { ip netns del "$ns" 2>/dev/null || true; ip netns add "$ns"; in_ns ip link set lo up; }
capture() {
  in_ns iptables -V > "$1.iptables-V.txt"
  in_ns iptables -t filter -S > "$1.iptables-S.txt"
  in_ns nft -j list ruleset > "$1.nft.json"
}
docker_rules() {
in_ns sh -e <<'RULES'
iptables -P INPUT DROP
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
iptables -P FORWARD DROP
iptables -N DOCKER
iptables -N DOCKER-ISOLATION-STAGE-1
iptables -N DOCKER-ISOLATION-STAGE-2
iptables -N DOCKER-USER
iptables -A FORWARD -j DOCKER-USER
iptables -A FORWARD -j DOCKER-ISOLATION-STAGE-1
iptables -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A FORWARD -o docker0 -j DOCKER
iptables -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
iptables -A FORWARD -i docker0 -o docker0 -j ACCEPT
iptables -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
iptables -A DOCKER-ISOLATION-STAGE-1 -j RETURN
iptables -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
iptables -A DOCKER-ISOLATION-STAGE-2 -j RETURN
iptables -A DOCKER-USER -j RETURN
RULES
}
reject_rules() {
in_ns sh -e <<'RULES'
iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
iptables -A INPUT -j REJECT --reject-with icmp-host-prohibited
iptables -A FORWARD -j REJECT --reject-with icmp-host-prohibited
RULES
}
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT

# Nothing filters: the built-in chains accept.
fresh
capture plain

# Docker (iptables-nft) plus INPUT locked down: loopback, established and SSH only, the rest dropped.
fresh
docker_rules
capture docker

# A host with an operator's trailing REJECT and nothing else (RHEL's iptables-services style).
fresh
reject_rules
capture reject

# nftables.service's stock drop ruleset (native table inet filter): iptables rules cannot open it.
fresh
in_ns nft -f - <<'RULES'
table inet filter {
  chain input {
    type filter hook input priority filter; policy drop;
    iif lo accept
    ct state established,related accept
    tcp dport 22 accept
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
  }
  chain output {
    type filter hook output priority filter; policy accept;
  }
}
RULES
capture nft-drop

# firewalld's shape (table inet firewalld): policy accept, but the chain ends in an unconditional reject.
fresh
in_ns nft -f - <<'RULES'
table inet firewalld {
  chain filter_INPUT {
    type filter hook input priority filter + 10; policy accept;
    ct state established,related accept
    iifname lo accept
    tcp dport 22 accept
    reject with icmpx admin-prohibited
  }
  chain filter_FORWARD {
    type filter hook forward priority filter + 10; policy accept;
    ct state established,related accept
    reject with icmpx admin-prohibited
  }
}
RULES
capture firewalld

# Legacy rules on a host whose iptables is nf_tables: iptables-legacy's FORWARD drops, `iptables` never sees it.
fresh
in_ns iptables-legacy -P FORWARD DROP
in_ns iptables-legacy -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
capture legacy-behind-nft
in_ns cat /proc/net/ip_tables_names > legacy-behind-nft.ip_tables_names.txt
in_ns iptables-legacy -t filter -S > legacy-behind-nft.iptables-legacy-S.txt
in_ns iptables-legacy -V > legacy-behind-nft.iptables-legacy-V.txt


# The docker scene as router h1 (1.1.1.1) of an encrypted VXLAN segment on superbr0 with peers 2.2.2.2 and 3.3.3.3,
# gateway 10.0.2.1/24 (FirewallPlanTests): the plaintext guard's and the firewall's steps, each line exactly the argv
# the planner writes, in plan order; then their undo in reverse.
fresh
docker_rules
in_ns sh -e <<'STEPS'
iptables -t filter -N SB-ESP-OUT-superbr0
iptables -t filter -N SB-ESP-IN-superbr0
iptables -t filter -A SB-ESP-OUT-superbr0 -d 2.2.2.2/32 -p udp -m udp --dport 4789 -m policy --dir out --pol none -j DROP
iptables -t filter -A SB-ESP-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --sport 4789 -m policy --dir in --pol none -j DROP
iptables -t filter -A SB-ESP-OUT-superbr0 -d 2.2.2.2/32 -p udp -m udp --sport 4789 -m policy --dir out --pol none -j DROP
iptables -t filter -A SB-ESP-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --dport 4789 -m policy --dir in --pol none -j DROP
iptables -t filter -A SB-ESP-OUT-superbr0 -d 3.3.3.3/32 -p udp -m udp --dport 4789 -m policy --dir out --pol none -j DROP
iptables -t filter -A SB-ESP-IN-superbr0 -s 3.3.3.3/32 -p udp -m udp --sport 4789 -m policy --dir in --pol none -j DROP
iptables -t filter -A SB-ESP-OUT-superbr0 -d 3.3.3.3/32 -p udp -m udp --sport 4789 -m policy --dir out --pol none -j DROP
iptables -t filter -A SB-ESP-IN-superbr0 -s 3.3.3.3/32 -p udp -m udp --dport 4789 -m policy --dir in --pol none -j DROP
iptables -t filter -I OUTPUT -j SB-ESP-OUT-superbr0
iptables -t filter -I INPUT -j SB-ESP-IN-superbr0
iptables -t filter -N SB-FW-IN-superbr0
iptables -t filter -A SB-FW-IN-superbr0 -s 2.2.2.2/32 -p 50 -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --dport 500 -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --dport 4500 -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --dport 4789 -m policy --dir in --pol ipsec -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -s 3.3.3.3/32 -p 50 -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -s 3.3.3.3/32 -p udp -m udp --dport 500 -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -s 3.3.3.3/32 -p udp -m udp --dport 4500 -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -s 3.3.3.3/32 -p udp -m udp --dport 4789 -m policy --dir in --pol ipsec -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -i superbr0 -p udp -m udp --dport 67 -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -i superbr0 -p udp -m udp --dport 53 -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -i superbr0 -p tcp -m tcp --dport 53 -j ACCEPT
sh -c 'p=$(iptables -t filter -S INPUT | { p=1 i=0; while read -r a c rest; do [ "$a" = -A ] || continue; i=$((i+1)); case $rest in "-j SB-ESP-IN-"*) p=$((i+1)) ;; esac; done; echo "$p"; }) && exec iptables -t filter -I INPUT "$p" -j "$1"' sh SB-FW-IN-superbr0
iptables -t filter -N SB-FW-FWD-superbr0
iptables -t filter -A SB-FW-FWD-superbr0 -i superbr0 -o superbr0 -j ACCEPT
iptables -t filter -A SB-FW-FWD-superbr0 -s 10.0.2.0/24 -i superbr0 -j ACCEPT
iptables -t filter -A SB-FW-FWD-superbr0 -d 10.0.2.0/24 -o superbr0 -m conntrack --ctstate 'RELATED,ESTABLISHED' -j ACCEPT
iptables -t filter -I FORWARD 1 -j SB-FW-FWD-superbr0
STEPS
in_ns iptables -t filter -S > docker-router-ipsec.applied.txt
in_ns sh -e <<'STEPS'
iptables -t filter -D FORWARD -j SB-FW-FWD-superbr0
iptables -t filter -D SB-FW-FWD-superbr0 -d 10.0.2.0/24 -o superbr0 -m conntrack --ctstate 'RELATED,ESTABLISHED' -j ACCEPT
iptables -t filter -D SB-FW-FWD-superbr0 -s 10.0.2.0/24 -i superbr0 -j ACCEPT
iptables -t filter -D SB-FW-FWD-superbr0 -i superbr0 -o superbr0 -j ACCEPT
iptables -t filter -X SB-FW-FWD-superbr0
iptables -t filter -D INPUT -j SB-FW-IN-superbr0
iptables -t filter -D SB-FW-IN-superbr0 -i superbr0 -p tcp -m tcp --dport 53 -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -i superbr0 -p udp -m udp --dport 53 -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -i superbr0 -p udp -m udp --dport 67 -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -s 3.3.3.3/32 -p udp -m udp --dport 4789 -m policy --dir in --pol ipsec -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -s 3.3.3.3/32 -p udp -m udp --dport 4500 -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -s 3.3.3.3/32 -p udp -m udp --dport 500 -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -s 3.3.3.3/32 -p 50 -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --dport 4789 -m policy --dir in --pol ipsec -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --dport 4500 -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --dport 500 -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -s 2.2.2.2/32 -p 50 -j ACCEPT
iptables -t filter -X SB-FW-IN-superbr0
iptables -t filter -D INPUT -j SB-ESP-IN-superbr0
iptables -t filter -D OUTPUT -j SB-ESP-OUT-superbr0
iptables -t filter -D SB-ESP-IN-superbr0 -s 3.3.3.3/32 -p udp -m udp --dport 4789 -m policy --dir in --pol none -j DROP
iptables -t filter -D SB-ESP-OUT-superbr0 -d 3.3.3.3/32 -p udp -m udp --sport 4789 -m policy --dir out --pol none -j DROP
iptables -t filter -D SB-ESP-IN-superbr0 -s 3.3.3.3/32 -p udp -m udp --sport 4789 -m policy --dir in --pol none -j DROP
iptables -t filter -D SB-ESP-OUT-superbr0 -d 3.3.3.3/32 -p udp -m udp --dport 4789 -m policy --dir out --pol none -j DROP
iptables -t filter -D SB-ESP-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --dport 4789 -m policy --dir in --pol none -j DROP
iptables -t filter -D SB-ESP-OUT-superbr0 -d 2.2.2.2/32 -p udp -m udp --sport 4789 -m policy --dir out --pol none -j DROP
iptables -t filter -D SB-ESP-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --sport 4789 -m policy --dir in --pol none -j DROP
iptables -t filter -D SB-ESP-OUT-superbr0 -d 2.2.2.2/32 -p udp -m udp --dport 4789 -m policy --dir out --pol none -j DROP
iptables -t filter -X SB-ESP-IN-superbr0
iptables -t filter -X SB-ESP-OUT-superbr0
STEPS
in_ns iptables -t filter -S > docker-router-ipsec.torn-down.txt

# The reject scene as router h1 of a clear VXLAN segment: no guard, so the INPUT jump goes first, above the REJECT.
fresh
reject_rules
in_ns sh -e <<'STEPS'
iptables -t filter -N SB-FW-IN-superbr0
iptables -t filter -A SB-FW-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --dport 4789 -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -s 3.3.3.3/32 -p udp -m udp --dport 4789 -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -i superbr0 -p udp -m udp --dport 67 -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -i superbr0 -p udp -m udp --dport 53 -j ACCEPT
iptables -t filter -A SB-FW-IN-superbr0 -i superbr0 -p tcp -m tcp --dport 53 -j ACCEPT
sh -c 'p=$(iptables -t filter -S INPUT | { p=1 i=0; while read -r a c rest; do [ "$a" = -A ] || continue; i=$((i+1)); case $rest in "-j SB-ESP-IN-"*) p=$((i+1)) ;; esac; done; echo "$p"; }) && exec iptables -t filter -I INPUT "$p" -j "$1"' sh SB-FW-IN-superbr0
iptables -t filter -N SB-FW-FWD-superbr0
iptables -t filter -A SB-FW-FWD-superbr0 -i superbr0 -o superbr0 -j ACCEPT
iptables -t filter -A SB-FW-FWD-superbr0 -s 10.0.2.0/24 -i superbr0 -j ACCEPT
iptables -t filter -A SB-FW-FWD-superbr0 -d 10.0.2.0/24 -o superbr0 -m conntrack --ctstate 'RELATED,ESTABLISHED' -j ACCEPT
iptables -t filter -I FORWARD 1 -j SB-FW-FWD-superbr0
STEPS
in_ns iptables -t filter -S > reject-router.applied.txt
in_ns sh -e <<'STEPS'
iptables -t filter -D FORWARD -j SB-FW-FWD-superbr0
iptables -t filter -D SB-FW-FWD-superbr0 -d 10.0.2.0/24 -o superbr0 -m conntrack --ctstate 'RELATED,ESTABLISHED' -j ACCEPT
iptables -t filter -D SB-FW-FWD-superbr0 -s 10.0.2.0/24 -i superbr0 -j ACCEPT
iptables -t filter -D SB-FW-FWD-superbr0 -i superbr0 -o superbr0 -j ACCEPT
iptables -t filter -X SB-FW-FWD-superbr0
iptables -t filter -D INPUT -j SB-FW-IN-superbr0
iptables -t filter -D SB-FW-IN-superbr0 -i superbr0 -p tcp -m tcp --dport 53 -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -i superbr0 -p udp -m udp --dport 53 -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -i superbr0 -p udp -m udp --dport 67 -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -s 3.3.3.3/32 -p udp -m udp --dport 4789 -j ACCEPT
iptables -t filter -D SB-FW-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --dport 4789 -j ACCEPT
iptables -t filter -X SB-FW-IN-superbr0
STEPS
in_ns iptables -t filter -S > reject-router.torn-down.txt
