read -r r 2>/dev/null </proc/sys/kernel/osrelease || r=$(uname -r)
k=/lib/modules/$r
cfg=
sb_config() {
  [ -z "$cfg" ] || return 0
  p='^CONFIG_(NET_IPGRE|L2TP_ETH|L2TP_IP|VXLAN|BRIDGE|INET_ESP|CRYPTO_(AES|GCM|CBC|AUTHENC|HMAC|SHA256))='
  if [ -r /proc/config.gz ] && command -v gzip >/dev/null 2>&1; then cfg="read
$(gzip -dc /proc/config.gz | grep -E "$p")"
  elif [ -r "/boot/config-$r" ]; then cfg="read
$(grep -E "$p" "/boot/config-$r")"
  else cfg=none; fi
}
sb_feature() {
  f=$1; m=$2; c=$3
  if [ -d "/sys/module/$m" ]; then a="yes loaded"
  elif [ -d "$k" ] && command -v modinfo >/dev/null 2>&1 && modinfo -n "$m" >/dev/null 2>&1; then a="yes module"
  elif [ -d "$k" ] && [ -n "$(find "$k" -name "$m.ko*" 2>/dev/null | head -n 1)" ]; then a="yes module"
  elif [ -r "$k/modules.builtin" ] && grep -q "/$m\.ko\$" "$k/modules.builtin"; then a="yes builtin"
  else
    sb_config
    case "$cfg" in
      none) a="unknown no-kernel-info" ;;
      *"
$c=y"*) a="yes config-builtin" ;;
      *"
$c=m"*) a="no config-module-not-installed" ;;
      *) a="no config-unset" ;;
    esac
  fi
  echo "feature $f $a"
  case "$a" in yes*) sb_yes="$sb_yes $f " ;; esac
}
sb_feature gretap ip_gre CONFIG_NET_IPGRE
sb_feature l2tpv3 l2tp_eth CONFIG_L2TP_ETH
sb_feature l2tp_ip l2tp_ip CONFIG_L2TP_IP
sb_feature vxlan vxlan CONFIG_VXLAN
sb_feature bridge bridge CONFIG_BRIDGE
if command -v lxc-start >/dev/null 2>&1; then echo "feature lxc yes command"; else echo "feature lxc no command"; fi
