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
