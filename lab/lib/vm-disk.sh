# shellcheck shell=bash
# The VM's disk: lab/vms prepares it on this machine before the first boot
# (mkfs.ext4 -d, no loop mount). Sourced by lab/vms after common.sh and
# vm-common.sh. See lab/README.md, "VM hosts".
#
# The disk holds upper/ and work/ of the guest's overlay root (lower: this
# machine's root over 9p, see vm-initramfs-init). upper/ starts with what makes
# the guest a lab VM rather than a copy of this machine: hostname, machine-id,
# systemd-networkd config, sshd with its own host key and the lab key, units
# masked or enabled, LXC's default config and the busybox containers.

# Units a lab VM must not run, or that only slow the boot under TCG. Every unit
# this machine's /etc/systemd/system enables is masked too (vm_masked_units),
# except VM_KEEP_UNITS; names that do not exist here cost nothing.
VM_MASK_UNITS=(
  # Network, name and time services: the VM gets its address from
  # systemd-networkd (below) and nothing else; no DHCP client, no resolver, no NTP.
  dnsmasq.service lxc-net.service NetworkManager.service NetworkManager-wait-online.service
  networking.service ifupdown-pre.service ifupdown-wait-online.service wpa_supplicant.service
  systemd-resolved.service systemd-timesyncd.service systemd-network-generator.service
  ModemManager.service avahi-daemon.service avahi-daemon.socket
  # Daemons of this machine that have no business on a lab VM.
  docker.service docker.socket containerd.service postgresql.service lxc-monitord.service
  cron.service anacron.service rsyslog.service unattended-upgrades.service packagekit.service
  apparmor.service
  # strongSwan's ipsec.conf starter (strongswan-charon depends on it): a second
  # charon beside strongswan.service (kept, below), with the same pid file.
  strongswan-starter.service ipsec.service
  # Timers (several catch up at boot: Persistent=true) and their services.
  apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service
  man-db.timer man-db.service logrotate.timer logrotate.service dpkg-db-backup.timer
  dpkg-db-backup.service e2scrub_all.timer e2scrub_all.service e2scrub_reap.service
  fstrim.timer fstrim.service systemd-tmpfiles-clean.timer anacron.timer
  # Consoles: nobody logs in on the VM's (serial) console; SSH only.
  getty@tty1.service serial-getty@ttyS0.service console-getty.service getty-static.service
  # Boot-time work this VM does not need. The caches (ld.so.cache, hwdb.bin,
  # the journal catalog) are this machine's; /etc/.updated and /var/.updated
  # below keep the ConditionNeedsUpdate= units quiet, the masks keep them so
  # when /usr here changes under a running VM.
  systemd-hwdb-update.service ldconfig.service systemd-journal-catalog-update.service
  systemd-pstore.service modprobe@drm.service systemd-binfmt.service
  proc-sys-fs-binfmt_misc.automount proc-sys-fs-binfmt_misc.mount dev-hugepages.mount
  sys-kernel-debug.mount sys-kernel-tracing.mount sys-kernel-config.mount
  sys-fs-fuse-connections.mount systemd-update-utmp.service systemd-update-utmp-runlevel.service
  systemd-remount-fs.service systemd-repart.service modprobe@dm_mod.service modprobe@loop.service
)

# Drivers udev would load for QEMU's pc machine (IDE, floppy, SMBus, speaker,
# KVM for an emulated CPU that advertises SVM, input) and cfg80211 (networkd's
# nl80211 query requests it): none serves a lab VM, and each costs seconds
# under TCG. Only their aliases are blacklisted: an explicit modprobe works.
VM_BLACKLIST_MODULES=(ata_piix ata_generic pata_acpi floppy i2c_piix4 pcspkr kvm_amd kvm_intel
  ccp cfg80211 evdev serio_raw psmouse joydev)
# Enabled here and wanted on the VM too. strongswan.service is charon-systemd's
# unit (charon, then `swanctl --load-all`): the product's swanctl config in
# /etc/swanctl/conf.d is loaded at boot as on any Debian host.
VM_KEEP_UNITS=(ssh.service sshd.service lxc.service remote-fs.target systemd-networkd.service
  systemd-networkd.socket systemd-networkd-wait-online.service strongswan.service)

# Generators the VM does without (each is a process PID 1 waits for): SysV
# scripts (all lab services have units), crypt/verity/integrity tabs, GPT
# auto-mounts, hibernation, postgresql clusters, gettys.
VM_MASK_GENERATORS=(systemd-sysv-generator systemd-cryptsetup-generator
  systemd-integritysetup-generator systemd-veritysetup-generator systemd-gpt-auto-generator
  systemd-hibernate-resume-generator systemd-system-update-generator systemd-rc-local-generator
  systemd-getty-generator postgresql-generator)

# Unit names of what this machine's /etc/systemd/system enables (links in
# *.wants/ and *.requires/), minus VM_KEEP_UNITS.
vm_masked_units() {
  local link keep
  {
    printf '%s\n' "${VM_MASK_UNITS[@]}"
    for link in /etc/systemd/system/*.wants/* /etc/systemd/system/*.requires/*; do
      [[ -L $link || -e $link ]] && echo "${link##*/}"
    done
  } | sort -u | while read -r unit; do
    for keep in "${VM_KEEP_UNITS[@]}"; do [[ $unit == "$keep" ]] && continue 2; done
    echo "$unit"
  done
}

# vm_prepare_disk <index> <dir> <containers>: writes <dir>/disk.img for VM
# <index>. Needs <dir>/guest/ssh_host_ed25519_key{,.pub} and the lab key.
vm_prepare_disk() {
  local index=$1 dir=$2 containers=$3 name address gateway root upper unit generator network number
  name=$(vm_name "$index")
  # What the guest itself holds: behind a NAT, the private address, and the
  # lab's ranges are reached through the NAT namespace.
  address=$(vm_private_address "$index")
  gateway=$LAB_UPSTREAM_UNDERLAY
  if vm_is_nat "$index"; then gateway=$LAB_NAT_GATEWAY; fi
  root=$dir/disk-root
  upper=$root/upper
  rm -rf "$root"
  install -d -m 0755 "$root" "$root/work" "$upper" "$upper/etc" "$upper/var" "$upper/var/lib"
  # Directories get the mode and owner they have on the lower root: an upper
  # directory's attributes win over the lower one's.
  install -d -m 0755 "$upper/etc/ssh" "$upper/etc/lxc" "$upper/etc/default" \
    "$upper/etc/systemd" "$upper/etc/systemd/system" "$upper/etc/systemd/network" \
    "$upper/etc/systemd/system-generators" "$upper/etc/systemd/networkd.conf.d" \
    "$upper/etc/systemd/journald.conf.d" "$upper/etc/udev" "$upper/etc/udev/rules.d" \
    "$upper/var/lib/dbus" "$upper/var/lib/lxc"

  # Identity.
  echo "$name" >"$upper/etc/hostname"
  tr -d '-' </proc/sys/kernel/random/uuid >"$upper/etc/machine-id"
  chmod 0444 "$upper/etc/machine-id"
  ln -s /etc/machine-id "$upper/var/lib/dbus/machine-id"
  { cat /etc/hosts; echo "$address $name"; } >"$upper/etc/hosts"
  chmod 0644 "$upper/etc/hosts"
  # Nothing on the VM may try to resolve through the machine's resolvers.
  install -m 0644 /dev/null "$upper/etc/resolv.conf"
  # This machine's fstab must not be the VM's; /tmp is tmpfs as before.
  cat >"$upper/etc/fstab" <<'FSTAB'
# Written by lab/vms (lab/lib/vm-disk.sh). / is an overlay built by the lab's
# initramfs: this machine's root (9p, read-only) under the VM's disk.
tmpfs /tmp tmpfs mode=1777,nosuid,nodev 0 0
FSTAB
  # The caches under /usr are current: skip the ConditionNeedsUpdate= units.
  touch "$upper/etc/.updated" "$upper/var/.updated"

  # root's home is the VM's own (opaque: the machine's /root, whose .bashrc
  # is slow, stays hidden) with the lab key.
  install -d -m 0700 "$upper/root" "$upper/root/.ssh"
  setfattr_opaque "$upper/root"
  install -m 0600 "$LAB_STATE/id_ed25519.pub" "$upper/root/.ssh/authorized_keys"

  # sshd: its own host key and config, key auth only, no PAM (no logind sessions).
  install -m 0600 "$dir/guest/ssh_host_ed25519_key" "$upper/etc/ssh/ssh_host_ed25519_key"
  install -m 0644 "$dir/guest/ssh_host_ed25519_key.pub" "$upper/etc/ssh/ssh_host_ed25519_key.pub"
  cat >"$upper/etc/ssh/sshd_config" <<CONFIG
# Written by lab/vms (lab/lib/vm-disk.sh) for $name.
ListenAddress $address:22
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
PrintLastLog no
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp
MaxSessions 64
MaxStartups 64:30:256
CONFIG
  chmod 0644 "$upper/etc/ssh/sshd_config"

  # Network: systemd-networkd gives eth0 (net.ifnames=0) the lab address and,
  # like the namespace hosts, the lab's upstream range via the upstream, but no
  # default route: nothing a VM sends can be meant for outside the lab.
  # Protocol=boot as before (`ip route` shows "proto static" otherwise). No
  # DHCP, no router advertisements; the .network files this machine ships
  # (containers, wifi, 6rd: DHCP) are masked.
  cat >"$upper/etc/systemd/network/10-sblab-eth0.network" <<NETWORK
# Written by lab/vms (lab/lib/vm-disk.sh) for $name.
[Match]
Name=eth0

[Network]
Address=$address/24
DHCP=no
IPv6AcceptRA=no
LLMNR=no
MulticastDNS=no

[Route]
Destination=$VM_UPSTREAM_RANGE
Gateway=$gateway
Protocol=boot
NETWORK
  if vm_is_nat "$index"; then
    # The other lab hosts are not on the guest's link: they are behind the NAT.
    cat >>"$upper/etc/systemd/network/10-sblab-eth0.network" <<NETWORK

[Route]
Destination=$LAB_NET.0/24
Gateway=$gateway
Protocol=boot
NETWORK
  fi
  for network in /lib/systemd/network/*.network /etc/systemd/network/*.network; do
    [[ -e $network ]] && ln -sf /dev/null "$upper/etc/systemd/network/${network##*/}"
  done
  # udev leaves interface names and MAC addresses alone, as before systemd: no
  # persistent MACs for bridges and tunnels the product creates, no altnames.
  cat >"$upper/etc/systemd/network/99-default.link" <<'LINK'
# Written by lab/vms (lab/lib/vm-disk.sh): kernel names, kernel MACs.
[Match]
OriginalName=*

[Link]
NamePolicy=keep kernel
MACAddressPolicy=none
LINK
  # Routes and rules networkd did not make (the product's) are not networkd's.
  cat >"$upper/etc/systemd/networkd.conf.d/sblab.conf" <<'CONF'
[Network]
ManageForeignRoutingPolicyRules=no
ManageForeignRoutes=no
CONF
  # bridge-utils' hook forks for every new link and only serves ifupdown.
  ln -s /dev/null "$upper/etc/udev/rules.d/60-bridge-network-interface.rules"
  install -d -m 0755 "$upper/etc/modprobe.d"
  {
    echo "# Written by lab/vms (lab/lib/vm-disk.sh): drivers a lab VM does without."
    printf 'blacklist %s\n' "${VM_BLACKLIST_MODULES[@]}"
  } >"$upper/etc/modprobe.d/sblab-vm.conf"
  cat >"$upper/etc/systemd/journald.conf.d/sblab.conf" <<'CONF'
[Journal]
SystemMaxUse=32M
CONF

  # Units: multi-user (this machine defaults to graphical), networkd with
  # wait-online (sshd listens on the lab address, so it waits for it), ssh,
  # lxc (autostarts the containers), and the masks.
  ln -s /lib/systemd/system/multi-user.target "$upper/etc/systemd/system/default.target"
  vm_enable systemd-networkd.service multi-user.target
  vm_enable systemd-networkd.socket sockets.target
  vm_enable systemd-networkd-wait-online.service network-online.target
  ln -s /lib/systemd/system/systemd-networkd.service \
    "$upper/etc/systemd/system/dbus-org.freedesktop.network1.service"
  vm_enable ssh.service multi-user.target
  vm_enable lxc.service multi-user.target
  # strongSwan when installed here (charon-systemd): enabled whatever this
  # machine's own state (Debian enables it on install).
  if [[ -x /usr/sbin/charon-systemd && -e /lib/systemd/system/strongswan.service ]]; then
    vm_enable strongswan.service multi-user.target
  fi
  install -d -m 0755 "$upper/etc/systemd/system/ssh.service.d" \
    "$upper/etc/systemd/system/systemd-networkd-wait-online.service.d"
  cat >"$upper/etc/systemd/system/ssh.service.d/sblab.conf" <<'CONF'
# sshd listens on the lab address only: start it once eth0 has it.
[Unit]
Wants=network-online.target
After=network-online.target
CONF
  # Coldplug only what the VM uses: its NIC (networkd acts on eth0 once udev
  # has seen it) and its disks. Replaying every device of the pc machine (ttys,
  # ACPI, CPUs, input...) kept udev busy for 10 s under TCG, and eth0 waited in
  # that queue. Devices added later (the product's links) get their events as
  # usual.
  install -d -m 0755 "$upper/etc/systemd/system/systemd-udev-trigger.service.d"
  cat >"$upper/etc/systemd/system/systemd-udev-trigger.service.d/sblab.conf" <<'CONF'
[Service]
ExecStart=
ExecStart=-udevadm trigger --type=devices --action=add --subsystem-match=net --subsystem-match=block
CONF
  cat >"$upper/etc/systemd/system/systemd-networkd-wait-online.service.d/sblab.conf" <<'CONF'
[Service]
ExecStart=
ExecStart=/lib/systemd/systemd-networkd-wait-online --interface=eth0 --timeout=60
CONF
  # One line on the console when the VM is ready (console.log, like before).
  cat >"$upper/etc/systemd/system/sblab-ready.service" <<'UNIT'
# Written by lab/vms (lab/lib/vm-disk.sh).
[Unit]
Description=Lab VM ready (sshd and containers up)
After=ssh.service lxc.service network-online.target

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "sblab-vm: ready: $(hostname) sshd and containers up after $(cut -d" " -f1 /proc/uptime)s" >/dev/console'

[Install]
WantedBy=multi-user.target
UNIT
  vm_enable sblab-ready.service multi-user.target
  while read -r unit; do
    ln -sfn /dev/null "$upper/etc/systemd/system/$unit"
  done < <(vm_masked_units)
  for generator in "${VM_MASK_GENERATORS[@]}"; do
    ln -s /dev/null "$upper/etc/systemd/system-generators/$generator"
  done

  # LXC as on the namespace hosts: new containers get one veth attached to no
  # bridge (the product sets lxc.net.0.link later). The guest boots with
  # apparmor=0: LXC would otherwise try to load profiles and fail to start.
  cat >"$upper/etc/lxc/default.conf" <<'LXC'
# Written by lab/vms (lab/lib/vm-disk.sh): one veth NIC attached to no bridge.
lxc.net.0.type = veth
lxc.net.0.flags = up
lxc.net.0.hwaddr = 00:16:3e:xx:xx:xx
LXC
  printf '# Written by lab/vms (lab/lib/vm-disk.sh): no lxcbr0 on lab VMs.\nUSE_LXC_BRIDGE="false"\n' \
    >"$upper/etc/default/lxc-net"
  chmod 0644 "$upper/etc/lxc/default.conf" "$upper/etc/default/lxc-net"
  for number in $(seq 1 "$containers"); do
    vm_create_container "$upper" "vm$index-c$number"
  done

  rm -f "$dir/disk.img"
  truncate -s "$VM_DISK_SIZE" "$dir/disk.img"
  mkfs.ext4 -q -L "$name" -d "$root" "$dir/disk.img" || die "$name: mkfs.ext4 -d failed"
  rm -rf "$root"
}

# vm_enable <unit> <target>: the link `systemctl enable` would make.
vm_enable() {
  install -d -m 0755 "$upper/etc/systemd/system/$2.wants"
  if [[ -e $upper/etc/systemd/system/$1 ]]; then
    ln -sfn "/etc/systemd/system/$1" "$upper/etc/systemd/system/$2.wants/$1"
  else
    ln -sfn "/lib/systemd/system/$1" "$upper/etc/systemd/system/$2.wants/$1"
  fi
}

# The overlay's "opaque" mark (trusted.overlay.opaque=y): the lower directory's
# entries are hidden. mkfs.ext4 -d copies extended attributes.
setfattr_opaque() {
  python3 -c 'import os, sys; os.setxattr(sys.argv[1], "trusted.overlay.opaque", b"y")' "$1" \
    || die "cannot set trusted.overlay.opaque on $1"
}

# vm_create_container <upper> <name>: a busybox container in the upper layer's
# /var/lib/lxc, made here with the guest's default.conf exactly as the guest's
# lxc-create would make it (same template, same busybox: the guest's root is
# this machine's), then pointed at its guest path. Its init runs udhcpc in the
# background like the namespace hosts' containers (see lab/up);
# lxc.start.auto = 1 so lxc.service starts it at every boot.
vm_create_container() {
  local upper=$1 name=$2 lxcpath=$1/var/lib/lxc
  lxc-create -q -P "$lxcpath" -f "$upper/etc/lxc/default.conf" -n "$name" -t busybox >/dev/null \
    || die "lxc-create $name failed"
  cat >"$lxcpath/$name/rootfs/etc/init.d/rcS" <<'RCS'
#!/bin/sh
/bin/syslogd
/bin/mount -a
/bin/udhcpc -b -S -i eth0 -t 5 -T 1 -A 2 -x hostname:"$(hostname)" -p /var/run/udhcpc.eth0.pid
RCS
  chmod 0744 "$lxcpath/$name/rootfs/etc/init.d/rcS"
  sed -i "s|^lxc.rootfs.path = dir:$lxcpath/|lxc.rootfs.path = dir:/var/lib/lxc/|" "$lxcpath/$name/config"
  grep -qx "lxc.rootfs.path = dir:/var/lib/lxc/$name/rootfs" "$lxcpath/$name/config" \
    || die "$name: unexpected lxc.rootfs.path in its config"
  printf '\n# Written by lab/vms: started at boot by lxc.service.\nlxc.start.auto = 1\n' \
    >>"$lxcpath/$name/config"
}
