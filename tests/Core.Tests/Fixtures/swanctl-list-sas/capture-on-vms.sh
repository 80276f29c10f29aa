#!/bin/bash
# One lab session: a Superbridge-style swanctl connection (VXLAN children -out/-in) between the two VMs, and every
# swanctl --list-sas state we want as fixtures. Runs under the test lock.
set -u
out=/tmp/obs-sas/out
rm -rf "$out"; mkdir -p "$out"
key=/run/sblab/id_ed25519
A=198.51.100.211 B=198.51.100.212
sha=$(printf 'sblab-vm1\nsblab-vm2' | sha256sum | cut -c1-8)
name="blue-$sha"
echo "$name" >"$out/name"
vm() { ssh -i "$key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@"$1" "${@:2}"; }
# capture FILEBASE HOST: stdout, stderr, exit of swanctl --list-sas
cap() { vm "$2" 'swanctl --list-sas --noblock >/tmp/sas.out 2>/tmp/sas.err; echo $? >/tmp/sas.rc'; vm "$2" cat /tmp/sas.out >"$out/$1.txt"; vm "$2" cat /tmp/sas.err >"$out/$1.stderr"; vm "$2" cat /tmp/sas.rc >"$out/$1.rc"; }
conn() { # local remote
cat <<C
connections {
	$name {
		version = 2
		local_addrs = $1
		remote_addrs = $2
		proposals = aes256gcm16-prfsha384-ecp384,aes256-sha256-modp3072
		dpd_delay = 10s
		local {
			auth = psk
			id = $1
		}
		remote {
			auth = psk
			id = $2
		}
		children {
			$name-out {
				mode = transport
				local_ts = $1[udp]
				remote_ts = $2[udp/4789]
				esp_proposals = aes256gcm16,aes256-sha256
				start_action = trap
				dpd_action = trap
				close_action = trap
			}
			$name-in {
				mode = transport
				local_ts = $1[udp/4789]
				remote_ts = $2[udp]
				esp_proposals = aes256gcm16,aes256-sha256
				start_action = trap
				dpd_action = trap
				close_action = trap
			}
		}
	}
}
C
}
secrets() { printf 'secrets {\n\tike-%s {\n\t\tid-local = %s\n\t\tid-remote = %s\n\t\tsecret = %s\n\t}\n}\n' "$name" "$1" "$2" "0sbGFiLW9ubHkta2V5LW5vdC1hLXNlY3JldA=="; }
for pair in "$A $B" "$B $A"; do set -- $pair
  conn $1 $2 | vm $1 "cat >/etc/swanctl/conf.d/superbridge-$name.conf"
  secrets $1 $2 | vm $1 "umask 077; cat >/etc/swanctl/conf.d/superbridge-$name.secrets.conf"
  vm $1 'systemctl is-active strongswan; swanctl --version; swanctl --load-all --noprompt' >"$out/load-$1.log" 2>&1
done
cap no-sas $A
# charon stopped on B: what swanctl says and its exit status
vm $B systemctl stop strongswan
cap charon-stopped $B
# A initiates while B's charon is down: the IKE SA stays CONNECTING (retransmits)
vm $A "swanctl --initiate --child $name-out --timeout 3" >"$out/initiate-connecting.log" 2>&1
cap connecting $A
vm $A "swanctl --terminate --ike $name --force --timeout 5" >>"$out/initiate-connecting.log" 2>&1
vm $B 'systemctl start strongswan && sleep 2 && swanctl --load-all --noprompt' >>"$out/load-$B.log" 2>&1
vm $A "swanctl --initiate --child $name-out --timeout 20 && swanctl --initiate --child $name-in --timeout 20" >"$out/initiate.log" 2>&1
cap established-no-traffic $A
# traffic both ways as VXLAN sends it (any source port to the peer's 4789): A -> B:4789 (A's .out, B's .in), B -> A:4789 (B's .out, A's .in)
vm $A "/usr/bin/python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);[s.sendto(b\"x\"*100,(\"$B\",4789)) for _ in range(5)]'" >"$out/traffic.log" 2>&1
vm $B "/usr/bin/python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);[s.sendto(b\"y\"*200,(\"$A\",4789)) for _ in range(3)]'" >>"$out/traffic.log" 2>&1
sleep 3
cap established-traffic $A
cap established-traffic-peer $B
vm $A 'ip xfrm state; ip xfrm policy' >"$out/xfrm-$A.txt" 2>&1
# cleanup on both
for h in $A $B; do vm $h "swanctl --terminate --ike $name --force --timeout 5; rm -f /etc/swanctl/conf.d/superbridge-$name*.conf; swanctl --load-all --noprompt" >>"$out/cleanup.log" 2>&1; done
# namespace lab host h1 (charon not running there): the inventory's ipsec-sas section as the script runs it
vm 198.51.100.1 'swanctl --list-sas --noblock >/tmp/sas.out 2>/tmp/sas.err; echo $? >/tmp/sas.rc; cat /tmp/sas.out' >"$out/h1.txt" 2>&1
vm 198.51.100.1 'cat /tmp/sas.err' >"$out/h1.stderr"; vm 198.51.100.1 'cat /tmp/sas.rc' >"$out/h1.rc"
vm 198.51.100.1 'sh -s' <"$(dirname "$0")/../../../Ssh.Tests/Inventory/Fixtures/inventory.sh" >"$out/h1-inventory.out" 2>&1
echo done
