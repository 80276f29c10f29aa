# Superbridge inventory: reads only. Each section: a marker line, stdout, a stderr marker, stderr, an end marker with the exit status.
exec 3>&1
sb_section() {
  sb_name=$1
  shift
  printf '@@superbridge-section %s@@\n' "$sb_name"
  sb_err=$("$@" 2>&1 1>&3 3>&- </dev/null)
  sb_rc=$?
  printf '\n@@superbridge-stderr %s@@\n%s\n@@superbridge-end %s exit=%s@@\n' "$sb_name" "$sb_err" "$sb_name" "$sb_rc"
}
sb_features() {
sb_feature() {
  f=$1; m=$2; c=$3; r=$(uname -r)
  if [ -d "/sys/module/$m" ]; then echo "feature $f yes loaded"; return; fi
  if command -v modinfo >/dev/null 2>&1 && modinfo -n "$m" >/dev/null 2>&1; then echo "feature $f yes module"; return; fi
  if [ -d "/lib/modules/$r" ] && [ -n "$(find "/lib/modules/$r" -name "$m.ko*" 2>/dev/null | head -n 1)" ]; then echo "feature $f yes module"; return; fi
  if [ -r "/lib/modules/$r/modules.builtin" ] && grep -q "/$m\.ko\$" "/lib/modules/$r/modules.builtin"; then echo "feature $f yes builtin"; return; fi
  if [ -r /proc/config.gz ] && command -v zcat >/dev/null 2>&1; then v=$(zcat /proc/config.gz | grep "^$c=" | cut -d= -f2)
  elif [ -r "/boot/config-$r" ]; then v=$(grep "^$c=" "/boot/config-$r" | cut -d= -f2)
  else echo "feature $f unknown no-kernel-info"; return; fi
  case "$v" in
    y) echo "feature $f yes config-builtin" ;;
    m) echo "feature $f no config-module-not-installed" ;;
    *) echo "feature $f no config-unset" ;;
  esac
}
sb_feature gretap ip_gre CONFIG_NET_IPGRE
sb_feature l2tpv3 l2tp_eth CONFIG_L2TP_ETH
sb_feature l2tp_ip l2tp_ip CONFIG_L2TP_IP
sb_feature vxlan vxlan CONFIG_VXLAN
sb_feature bridge bridge CONFIG_BRIDGE
if command -v lxc-start >/dev/null 2>&1; then echo "feature lxc yes command"; else echo "feature lxc no command"; fi
}
sb_dnsmasq() {
n=$(readlink /proc/self/ns/net 2>/dev/null)
for d in /proc/[0-9]*; do
  read -r c 2>/dev/null <"$d/comm" || continue
  [ "$c" = dnsmasq ] || continue
  [ -z "$n" ] || [ "$(readlink "$d/ns/net" 2>/dev/null)" = "$n" ] || continue
  printf '%s\000' "${d#/proc/}"
  cat "$d/cmdline" 2>/dev/null
  printf '\n'
done
}
printf '@@superbridge-inventory 1@@\n'
sb_section hostname uname -n
sb_section kernel uname -r
sb_section iproute ip -V
sb_section features sb_features
sb_section ip-link ip -j -d link show
sb_section ip-addr ip -j addr show
sb_section bridge-link bridge -j link show
sb_section bridge-fdb bridge -j fdb show
sb_section l2tp-tunnel ip l2tp show tunnel
sb_section l2tp-session ip l2tp show session
sb_section iptables-nat iptables -t nat -S POSTROUTING
sb_section dnsmasq sb_dnsmasq
sb_section ip-forward sysctl -n net.ipv4.ip_forward
if command -v lxc-ls >/dev/null 2>&1; then
  sb_section lxc-ls lxc-ls -f -F NAME,STATE,IPV4,AUTOSTART
  sb_lxcpath=$(lxc-config lxc.lxcpath 2>/dev/null </dev/null)
  sb_section lxc-path printf '%s\n' "$sb_lxcpath"
  lxc-ls -1 </dev/null 2>/dev/null | while IFS= read -r sb_c; do
    [ -n "$sb_c" ] || continue
    sb_section "lxc-config $sb_c" cat "$sb_lxcpath/$sb_c/config"
    sb_section "lxc-info $sb_c" lxc-info -n "$sb_c"
  done
fi
printf '@@superbridge-done@@\n'
