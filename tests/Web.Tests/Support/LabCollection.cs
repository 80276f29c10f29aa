using Superbridge.Lab;

namespace Superbridge.Web.Tests.Support;

/// <summary>Every test that touches lab hosts shares one lab.</summary>
[CollectionDefinition("Lab")]
public sealed class LabCollection : ICollectionFixture<LabFixture>;
