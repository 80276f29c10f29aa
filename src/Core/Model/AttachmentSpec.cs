namespace Superbridge.Core.Model;

/// <summary>A container on a member host whose first network link (lxc.net.0) joins the segment's bridge.</summary>
public sealed record AttachmentSpec(HostId Host, string Container);
