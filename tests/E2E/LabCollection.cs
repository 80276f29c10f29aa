using Superbridge.Lab;

namespace Superbridge.E2E;

/// <summary>The browser tests that touch lab hosts share one lab.</summary>
[CollectionDefinition("Lab")]
public sealed class LabCollection : ICollectionFixture<LabFixture>;
