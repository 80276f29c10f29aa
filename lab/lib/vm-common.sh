# shellcheck shell=bash disable=SC2034 # constants are used by the scripts sourcing this
# Shared constants and helpers for lab/vms (the QEMU part of the lab). Sourced
# after lab/lib/common.sh. See lab/README.md, "VM hosts".
#
# The VM part lives beside the namespace lab, not inside it: its state is in
# /run/sblab-vms (lab/up and lab/down wipe /run/sblab, and must never orphan a
# running QEMU whose pid file lived there), and lab/vms never touches the
# namespace hosts. Its taps are named sblab-vmI like everything of the lab.

VM_STATE=/run/sblab-vms
VM_LOCK=/run/sblab-vms.lock
VM_MAX=9
# VM I gets 198.51.100.(210+I) on the underlay.
VM_ADDRESS_BASE=210
# The one range a VM routes beyond the underlay: the lab's upstream (203.0.113.1,
# the stand-in for the internet), via upstream's underlay address.
VM_UPSTREAM_RANGE=203.0.113.0/24
VM_MEMORY_MB=${SBLAB_VM_MEMORY_MB:-512}
# Seconds lab/vms up waits for every VM's sshd, and then for its boot to finish
# and its containers to run (TCG on a busy 2-core machine).
VM_BOOT_TIMEOUT=${SBLAB_VM_BOOT_TIMEOUT:-180}
# Seconds lab/vms reboot waits for a guest to go down and answer over SSH again.
VM_REBOOT_TIMEOUT=${SBLAB_VM_REBOOT_TIMEOUT:-300}
# Size of each VM's disk image ($VM_STATE/vmI/disk.img, sparse): the overlay's
# upper layer, i.e. everything the guest writes.
VM_DISK_SIZE=${SBLAB_VM_DISK_SIZE:-2G}

# The guest runs this machine's systemd (with systemd-networkd and udev), sshd
# and LXC from the 9p root, so they must be installed here; so must what the
# product and the kernel-lab tests run on a VM (dnsmasq, iptables, iputils
# ping and GNU wget: busybox wget segfaults in the guests).
VM_PACKAGES=(qemu-system-x86 linux-image-amd64 busybox-static cpio openssh-server
  openssh-client iproute2 kmod systemd systemd-sysv udev e2fsprogs lxc dnsmasq-base iptables
  iputils-ping wget util-linux)

# Modules the lab's initramfs loads, in dependency order: virtio-9p for the
# read-only root, virtio-blk and ext4 (crc32c for its checksums) for the VM's
# disk, overlay for the root made of both, pvpanic so a guest kernel panic ends
# QEMU instead of rebooting in a loop, and virtio-net so eth0 is there when
# udev starts (loaded by udev's coldplug, it came seconds later under TCG and
# systemd-networkd, and so sshd, waited for it). Everything else is loaded
# from the root afterwards (udev, modprobe).
VM_INITRAMFS_MODULES=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
  9pnet 9pnet_virtio netfs fscache 9p virtio_blk crc16 mbcache jbd2 crc32c_generic ext4 overlay
  pvpanic pvpanic_mmio failover net_failover virtio_net virtio_rng)

vm_name() { echo "$LAB_PREFIX-vm$1"; }
# The address SSH and the other hosts reach VM I at (its public one).
vm_address() { echo "$LAB_NET.$((VM_ADDRESS_BASE + $1))"; }

# VM I behind a 1:1 NAT (lab/vms up --nat I, marked by $VM_STATE/vmI/nat):
# the guest holds 192.0.2.(210+I) only; its tap sits on a bridge of its own,
# sblab-vbrI, with the private side of its NAT namespace sblab-vnatI, which
# holds the public address on sblab-br (see lib/host-shapes.sh).
vm_is_nat() { [[ -e $VM_STATE/vm$1/nat ]]; }
vm_private_address() {
  if vm_is_nat "$1"; then echo "$LAB_NAT_NET.$((VM_ADDRESS_BASE + $1))"; else vm_address "$1"; fi
}
vm_nat_namespace() { echo "$LAB_PREFIX-vnat$1"; }
vm_private_bridge() { echo "$LAB_PREFIX-vbr$1"; }
# The bridge VM I's tap is on.
vm_tap_bridge() {
  if vm_is_nat "$1"; then vm_private_bridge "$1"; else echo "$LAB_BRIDGE"; fi
}
# Locally administered, fixed per VM so neighbours' caches survive a reboot.
vm_mac() { printf '52:54:00:51:64:%02x\n' "$((VM_ADDRESS_BASE + $1))"; }

# The newest installed Debian kernel that has a vmlinuz in /boot and the
# tunnel modules the VM part exists for.
vm_kernel_version() {
  local vmlinuz version best=""
  for vmlinuz in /boot/vmlinuz-*; do
    [[ -e $vmlinuz ]] || continue
    version=${vmlinuz#/boot/vmlinuz-}
    [[ -d /lib/modules/$version/kernel/net/l2tp && -e /lib/modules/$version/kernel/net/ipv4/ip_gre.ko ]] \
      || continue
    best=$version
  done
  [[ -n $best ]] || die "no kernel with ip_gre and l2tp modules in /boot (apt-get install linux-image-amd64)"
  echo "$best"
}

# Indices of VMs that have a state folder (pid file or not).
vm_indices() {
  local dir
  for dir in "$VM_STATE"/vm[0-9]*; do
    [[ -d $dir ]] && echo "${dir##*/vm}"
  done | sort -n
}

# The pid of VM I's QEMU if it is alive and really is that VM's QEMU (its
# command line names the VM's state folder), else nothing.
vm_pid() {
  local pidfile=$VM_STATE/vm$1/qemu.pid pid
  [[ -s $pidfile ]] || return 0
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$VM_STATE/vm$1/" && echo "$pid"
  return 0
}

# Accepts "1", "vm1" or "sblab-vm1"; prints the index.
vm_index_from_arg() {
  local arg=$1
  arg=${arg#"$LAB_PREFIX-"}
  arg=${arg#vm}
  [[ $arg =~ ^[0-9]+$ && $arg -ge 1 && $arg -le $VM_MAX ]] || die "not a lab VM: $1"
  echo "$arg"
}

# vm_ssh <address> <command>: root on a VM with the lab key, no host-key records.
VM_SSH_OPTIONS=(-o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
  -o BatchMode=yes -o ConnectTimeout=3 -o LogLevel=ERROR)
vm_ssh() {
  local address=$1
  shift
  ssh -i "$LAB_STATE/id_ed25519" "${VM_SSH_OPTIONS[@]}" "root@$address" "$@"
}

# close_inherited_fds: closes every descriptor but stdin, stdout and stderr of
# the current shell; call it in the subshell that execs a daemon. QEMU and the
# watcher live far longer than lab/vms; an inherited descriptor would keep a
# caller's lock taken for that long (e.g. `flock /run/sblab-tests.lock lab/vms
# up`, or a script's `exec 9>lock`).
close_inherited_fds() {
  local fd
  for fd in "/proc/$BASHPID/fd/"*; do
    fd=${fd##*/}
    if [[ $fd -gt 2 ]]; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}
