for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = dnsmasq ] || continue
  printf '%s\000' "${d#/proc/}"
  cat "$d/cmdline" 2>/dev/null
  printf '\n'
done
