# shellcheck shell=bash
# Sourced by lab/up and lab/vms: the shapes a lab host can take besides a plain
# one on the underlay: behind a 1:1 NAT (lab/up --nat-hosts, lab/vms up --nat)
# and with a Docker-like firewall (lab/up --firewall-hosts). See lab/README.md,
# "NAT hosts and firewalled hosts".

# A 1:1 NAT namespace, the way a cloud gives a machine a public address it
# never holds itself: namespace <nat> holds <public> on the underlay and maps it
# to <private> behind it, every protocol and port unchanged (DNAT in, SNAT
# out). Its private side is host0 ($LAB_NAT_GATEWAY), one end of a veth whose
# other end <peer> is made in namespace <peer-ns> (in this, the root,
# namespace when <peer-ns> is empty).
nat_namespace_up() {
  local nat=$1 public=$2 private=$3 peer=$4 peer_ns=${5:-}
  attach_to_underlay "$nat" "$public"
  ip -n "$nat" route add default via "$LAB_UPSTREAM_UNDERLAY"
  if [[ -n $peer_ns ]]; then
    ip -n "$nat" link add host0 type veth peer name "$peer" netns "$peer_ns"
  else
    ip link add "$peer" type veth peer name host0 netns "$nat"
  fi
  ip -n "$nat" addr add "$LAB_NAT_GATEWAY/24" dev host0
  ip -n "$nat" link set host0 up
  ip netns exec "$nat" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$nat" iptables-restore <<RULES
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -d $public/32 -j DNAT --to-destination $private
-A POSTROUTING -o eth0 -s $private/32 -j SNAT --to-source $public
COMMIT
RULES
}

# Host K behind a 1:1 NAT: its only link (eth0, 192.0.2.K) leads to its NAT
# namespace sblab-natK, so its default route, the other lab hosts and upstream
# all lie behind the NAT. The link has no root end: nothing on the bridge but
# the public side.
build_nat_gateway() {
  local index=$1 nat=$LAB_PREFIX-nat$1 ns=$LAB_PREFIX-h$1
  ip netns add "$ns"
  nat_namespace_up "$nat" "$LAB_NET.$index" "$LAB_NAT_NET.$index" eth0 "$ns"
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$LAB_NAT_NET.$index/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "$LAB_NAT_GATEWAY"
  echo "$nat" >"$LAB_STATE/h$index/nat"
}

# What a host running Docker looks like to iptables, minus the daemon: INPUT
# drops everything but loopback, replies and SSH (a hardened host); FORWARD
# drops by default behind Docker's chains (DOCKER-USER first, the isolation
# stages, DOCKER), and forwarding is on, as dockerd leaves it. No docker0 is
# made (its 172.17.0.0/16 is outside the lab's ranges); the rules that name it
# match nothing. br_netfilter is built into this machine's kernel with
# bridge-nf-call-iptables = 1 in every namespace, so FORWARD also sees frames
# bridged inside the host, as on a real Docker host that loaded it.
apply_docker_like_firewall() {
  local index=$1 ns=$LAB_PREFIX-h$1 rules=$LAB_STATE/h$1/firewall.rules
  cat >"$rules" <<'RULES'
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
COMMIT
RULES
  ip netns exec "$ns" iptables-restore <"$rules"
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
  echo docker-like >"$LAB_STATE/h$index/firewall"
}
