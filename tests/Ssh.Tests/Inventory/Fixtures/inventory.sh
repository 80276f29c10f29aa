# Superbridge inventory: reads only. Each section: a marker line, stdout, a stderr marker, stderr, an end marker with the exit status.
# Few processes on purpose (it runs on every host at once): /proc files are read with the read builtin, sections
# that run no program (sb_inline) run in this shell without a subshell, their stderr dropped.
exec 3>&1
sb_section() {
  sb_name=$1
  shift
  printf '@@superbridge-section %s@@\n' "$sb_name"
  sb_err=$("$@" 2>&1 1>&3 3>&- </dev/null)
  sb_rc=$?
  printf '\n@@superbridge-stderr %s@@\n%s\n@@superbridge-end %s exit=%s@@\n' "$sb_name" "$sb_err" "$sb_name" "$sb_rc"
}
sb_inline() {
  sb_name=$1
  shift
  printf '@@superbridge-section %s@@\n' "$sb_name"
  "$@" 2>/dev/null </dev/null
  sb_rc=$?
  printf '\n@@superbridge-stderr %s@@\n\n@@superbridge-end %s exit=%s@@\n' "$sb_name" "$sb_name" "$sb_rc"
}
sb_line() {
  sb_v=
  IFS= read -r sb_v <"$1" || [ -n "$sb_v" ] && printf '%s\n' "$sb_v"
}
sb_cat() {
  while IFS= read -r sb_v || [ -n "$sb_v" ]; do printf '%s\n' "$sb_v"; done <"$1"
}
sb_boot() {
  sb_v=
  { IFS= read -r sb_v </proc/1/comm; } 2>/dev/null
  printf 'pid1=%s\n' "$sb_v"
  if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
  if [ /proc/self/ns/net -ef /proc/1/ns/net ]; then echo netns=same; else echo netns=other; fi
  for sb_f in /etc/systemd/system/multi-user.target.wants/superbridge-*.service; do
    [ -L "$sb_f" ] && printf 'enabled=%s\n' "${sb_f##*/}"
  done
  return 0
}
sb_ipsec() {
  if command -v swanctl >/dev/null 2>&1; then
    echo swanctl=yes
    if sb_v=$(swanctl --version --daemon 2>/dev/null); then echo charon=running; else echo charon=stopped; sb_v=$(swanctl --help 2>/dev/null); fi
    printf 'version=%s\n' "${sb_v%%
*}"
  else
    echo swanctl=no
    echo charon=-
    echo version=
  fi
  if [ -e /proc/sys/net/core/xfrm_acq_expires ]; then echo xfrm=yes; else echo xfrm=no; fi
sb_feature esp esp4 CONFIG_INET_ESP
sb_feature aes aes_generic CONFIG_CRYPTO_AES
sb_feature gcm gcm CONFIG_CRYPTO_GCM
sb_feature cbc cbc CONFIG_CRYPTO_CBC
sb_feature authenc authenc CONFIG_CRYPTO_AUTHENC
sb_feature hmac hmac CONFIG_CRYPTO_HMAC
sb_feature sha256 sha256_generic CONFIG_CRYPTO_SHA256
}
sb_features() {
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
}
# No IPv6 in the kernel is an empty table, not a failure.
sb_routes() {
  ip -j -4 route show table main || return
  ip -j -6 route show table main 2>/dev/null || echo '[]'
}
sb_legacy_filter() {
  [ -r /proc/net/ip_tables_names ] || return 0
  while IFS= read -r sb_v; do
    if [ "$sb_v" = filter ] && command -v iptables-legacy >/dev/null 2>&1; then iptables-legacy -t filter -S; return; fi
  done </proc/net/ip_tables_names
  return 0
}
sb_dnsmasq() {
for d in /proc/[0-9]*; do
  read -r c 2>/dev/null <"$d/comm" || continue
  [ "$c" = dnsmasq ] || continue
  [ "$d/ns/net" -ef /proc/self/ns/net ] || [ ! -e /proc/self/ns/net ] || continue
  printf '%s\000' "${d#/proc/}"
  cat "$d/cmdline" 2>/dev/null
  printf '\n'
done
}
printf '@@superbridge-inventory 1@@\n'
sb_inline hostname sb_line /proc/sys/kernel/hostname
sb_inline kernel sb_line /proc/sys/kernel/osrelease
sb_section iproute ip -V
sb_inline features sb_features
sb_section ip-addr ip -j -d addr show
sb_section ip-route sb_routes
sb_section bridge-fdb bridge -j fdb show
if [ -d /sys/module/l2tp_core ] || case "$sb_yes" in *" l2tpv3 "* | *" l2tp_ip "*) true ;; *) false ;; esac; then
  sb_section l2tp-tunnel ip l2tp show tunnel
  sb_section l2tp-session ip l2tp show session
else
  sb_inline l2tp-tunnel :
  sb_inline l2tp-session :
fi
sb_section iptables-nat iptables -t nat -S
sb_section iptables-filter iptables -t filter -S
sb_section iptables-version iptables -V
sb_section iptables-legacy-filter sb_legacy_filter
if command -v nft >/dev/null 2>&1; then
  sb_section nft-ruleset nft -j list ruleset
else
  sb_inline nft-ruleset :
fi
sb_section dnsmasq sb_dnsmasq
sb_inline ip-forward sb_line /proc/sys/net/ipv4/ip_forward
sb_inline boot sb_boot
sb_inline ipsec sb_ipsec
if command -v swanctl >/dev/null 2>&1; then
  sb_section ipsec-sas swanctl --list-sas --noblock
else
  sb_inline ipsec-sas :
fi
for sb_f in /etc/systemd/system/superbridge-*.service /etc/superbridge/*.sh /etc/sysctl.d/90-superbridge-*.conf /etc/swanctl/conf.d/superbridge-*.conf; do
  [ -f "$sb_f" ] || continue
  case $sb_f in
  *.secrets.conf) sb_inline "secret-file $sb_f" : ;;
  *) sb_inline "boot-file $sb_f" sb_cat "$sb_f" ;;
  esac
done
if command -v lxc-ls >/dev/null 2>&1; then
  sb_section lxc-ls lxc-ls -f -F NAME,STATE,IPV4,AUTOSTART
  sb_lxcpath=$(lxc-config lxc.lxcpath 2>/dev/null </dev/null)
  sb_inline lxc-path printf '%s\n' "$sb_lxcpath"
  for sb_f in "$sb_lxcpath"/*/config; do
    [ -f "$sb_f" ] || continue
    sb_c=${sb_f%/config}
    sb_c=${sb_c##*/}
    sb_inline "lxc-config $sb_c" sb_cat "$sb_f"
    sb_section "lxc-info $sb_c" lxc-info -n "$sb_c"
  done
fi
printf '@@superbridge-done@@\n'
