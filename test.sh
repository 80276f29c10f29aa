#!/usr/bin/env bash
# Runs every test of Superbridge: installs what the tests need (as root, on Debian), builds,
# brings the lab up once for all test projects, runs each test project, and ends with one
# plain line "N passed, N failed" summing them all.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
results="$root/artifacts/test-results"

# Debian packages the tests drive for real (lab hosts, containers, DHCP, NAT, browser, the wire).
packages=(iproute2 openssh-server openssh-client dnsmasq-base iptables lxc busybox-static udhcpc procps psmisc sudo util-linux
          qemu-system-x86 linux-image-amd64 cpio iputils-ping wget chromium dash tcpdump)
# strongSwan: every lab host runs its own charon, the VMs strongswan.service (lab/README.md, "IPsec").
# libstrongswan-standard-plugins (openssl: AES-GCM, ECP, Curve25519 for IKE) is what libstrongswan
# recommends, so any Debian host installing strongSwan has it; --no-install-recommends would drop it.
ipsec_packages=(strongswan-charon strongswan-swanctl charon-systemd libstrongswan-standard-plugins)
missing=()
missing_ipsec=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
for p in "${ipsec_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing_ipsec+=("$p")
done
if ((${#missing[@]} + ${#missing_ipsec[@]})); then
    echo "Installing: ${missing[*]} ${missing_ipsec[*]}"
    if [[ $(id -u) -ne 0 ]]; then
        echo "The tests need these Debian packages and root to install them: ${missing[*]} ${missing_ipsec[*]}" >&2
        exit 2
    fi
    # An install cut short earlier (a killed run) leaves dpkg half-configured, and apt refuses until it is finished.
    DEBIAN_FRONTEND=noninteractive dpkg --configure -a
    apt-get update -q
    if ((${#missing[@]})); then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
    if ((${#missing_ipsec[@]})); then
        # strongswan-charon pulls in strongswan-starter, whose postinst would start an IPsec daemon on
        # this machine (and charon-systemd's strongswan.service where systemd runs); the lab starts its
        # own charons in its namespaces and wants none here, so this install may start no service.
        # A policy-rc.d already present is left as it is.
        policy=/usr/sbin/policy-rc.d
        made_policy=false
        if [[ ! -e $policy ]]; then
            printf '#!/bin/sh\n# Written by test.sh for the length of an apt-get install: no service starts.\nexit 101\n' >"$policy"
            chmod 0755 "$policy"
            made_policy=true
        fi
        status=0
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing_ipsec[@]}" || status=$?
        if [[ $made_policy == true ]]; then rm -f "$policy"; fi
        ((status == 0)) || exit "$status"
    fi
fi

dotnet build Dashboard.sln -c Debug -nologo -v quiet

rm -rf "$results"
mkdir -p "$results"

# One lab for the whole run; the test fixtures reuse it through SUPERBRIDGE_LAB_JSON.
# The run holds the lab's test lock throughout, so another test run on this machine waits
# instead of rebuilding the lab under this one (the kernel drops the lock if we die).
exec 9>/run/sblab-tests.lock
flock 9
export SBLAB_TEST_RUN=1
lab_json="$results/lab.json"
cleanup() {
    "$root/lab/vms" down >"$results/vms-down.log" 2>&1 || echo "lab/vms down failed, see $results/vms-down.log" >&2
    "$root/lab/down" >"$results/lab-down.log" 2>&1 || echo "lab/down failed, see $results/lab-down.log" >&2
}
trap cleanup EXIT
# As LabEnvironment.UpArguments: hosts 1-3 plain, 4 behind a 1:1 NAT, 5 with a Docker-like firewall,
# and container-less hosts for the large-segment tests (LabEnvironment.ScaleHostCount).
"$root/lab/up" 5 --nat-hosts 4 --firewall-hosts 5 --scale 27 --json >"$lab_json"
export SUPERBRIDGE_LAB_JSON="$lab_json"
# Two QEMU guests with Debian's kernel, for gretap and L2TPv3 (this machine's kernel has neither).
vms_json="$results/vms.json"
"$root/lab/vms" up --json >"$vms_json" 2>"$results/vms-up.log"
export SUPERBRIDGE_VMS_JSON="$vms_json"

passed=0
failed=0
for project in tests/*/*.csproj; do
    grep -q '<IsTestProject>true</IsTestProject>' "$project" || continue
    name=$(basename "$project" .csproj)
    echo "=== $name"
    dotnet test "$project" --no-build -nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
        --results-directory "$results" --blame-hang-timeout 20m || true
    trx="$results/$name.trx"
    if [[ -f $trx ]]; then
        counters=$(grep -o '<Counters [^>]*>' "$trx")
        p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
        f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
        e=$(sed -E 's/.* error="([0-9]+)".*/\1/' <<<"$counters")
        passed=$((passed + p))
        failed=$((failed + f + e))
    else
        echo "$name produced no results: counted as one failure" >&2
        failed=$((failed + 1))
    fi
done

echo "$passed passed, $failed failed"
((failed == 0))
