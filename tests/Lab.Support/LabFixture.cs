namespace Superbridge.Lab;

/// <summary>
/// xunit collection fixture: the lab is brought up (or reused, see
/// <see cref="LabEnvironment.JsonVariable"/>) before the first test of the
/// collection and brought down after the last one, whether tests pass or fail.
/// Declare it in the test assembly with
/// <c>[CollectionDefinition("Lab")] class LabCollection : ICollectionFixture&lt;LabFixture&gt;;</c>
/// and put every lab test in that one collection so the lab is built once.
/// </summary>
public sealed class LabFixture : IDisposable
{
    public LabFixture()
    {
        Lab = LabEnvironment.StartAsync().GetAwaiter().GetResult();
    }

    public LabEnvironment Lab { get; }

    public void Dispose() => Lab.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
