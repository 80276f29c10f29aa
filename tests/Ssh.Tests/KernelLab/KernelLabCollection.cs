using Superbridge.Lab;

namespace Superbridge.Ssh.Tests.KernelLab;

/// <summary>Tests on the lab's VM hosts (<c>lab/vms</c>: QEMU guests whose Debian kernel has ip_gre and l2tp_*). The two
/// VMs boot once per test run, in parallel; the tests run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class KernelLabCollection : ICollectionFixture<VmLabFixture>
{
    public const string Name = "KernelLab";
}
