namespace Superbridge.Web.Topology;

/// <summary>Where a change dialog is: editing the change, reading its plan, or running it.</summary>
public enum ApplyStage
{
    Edit,
    Preview,
    Apply,
}
