using System.Runtime.CompilerServices;

namespace Superbridge.Ssh.Tests.Inventory;

/// <summary>Reads the captured inventory outputs in Inventory/Fixtures (from the source tree).</summary>
internal static class InventoryFixtures
{
    public const string PlainH1 = "sblab-h1.out";
    public const string BridgeH1 = "sblab-h1-bridge-vxlan-container.out";
    public const string Script = "inventory.sh";
    /// <summary>inventory.sh in a scratch namespace where iptables, legacy iptables and nftables all drop (capture-firewalled.sh).</summary>
    public const string Firewalled = "fwcap-firewalled.out";

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory(), "Fixtures", name));

    /// <summary>A Core fixture (tests/Core.Tests/Fixtures): a single command's captured output.</summary>
    public static string ReadCore(string relativePath) => File.ReadAllText(Path.Combine(Directory(), "..", "..", "Core.Tests", "Fixtures", relativePath));

    private static string Directory([CallerFilePath] string thisFile = "") =>
        Path.GetDirectoryName(thisFile) ?? throw new InvalidOperationException("no source path");
}
