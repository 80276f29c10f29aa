using Superbridge.Lab;

namespace Superbridge.Ssh.Tests.KernelLab;

/// <summary>
/// A test that needs a VM behind a 1:1 NAT (<c>lab/vms up 2 --nat 2</c>, given through SUPERBRIDGE_VMS_JSON): skipped,
/// saying so, when the run's VMs have none (test.sh boots them without NAT: its gretap and l2tpv3-ip tests need both plain).
/// </summary>
public sealed class NatVmFactAttribute : FactAttribute
{
    public NatVmFactAttribute()
    {
        var path = Environment.GetEnvironmentVariable(VmLabFixture.JsonVariable);
        var natted = !string.IsNullOrWhiteSpace(path) && File.Exists(path) && VmLabDescription.Parse(File.ReadAllText(path)).Hosts.Any(h => h.Nat);
        if (!natted) Skip = $"needs a VM behind a 1:1 NAT: lab/vms up 2 --nat 2 --json, and {VmLabFixture.JsonVariable} naming its output";
    }
}
