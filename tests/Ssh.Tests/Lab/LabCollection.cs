using Superbridge.Lab;

namespace Superbridge.Ssh.Tests.Lab;

/// <summary>Every test that needs the sandbox lab joins this collection, so the lab is built once
/// per test run and its tests run one after another (some restart containers).</summary>
[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "Lab";
}
