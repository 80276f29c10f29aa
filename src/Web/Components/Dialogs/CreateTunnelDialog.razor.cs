using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Superbridge.Core.Model;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Segments;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>
/// A tunnel drawn between two hosts: which segment it joins, the transport, and (under Advanced) the values Core pairs
/// for the two ends, editable and checked by Core on every change; then the exact commands; then apply with the live
/// log. Closes with the <see cref="ApplyStatus"/> when something ran.
/// </summary>
public partial class CreateTunnelDialog
{
    private KnownHosts _hosts = KnownHosts.Empty;
    private IReadOnlyList<SegmentRecord> _segments = [];
    private TunnelForm _form = null!;
    private TunnelDraft? _draft;
    private TunnelDraft? _lastValid;
    private bool _newSegment = true;
    private ApplyStage _stage = ApplyStage.Edit;
    private ApplyLogModel? _finished;
    private readonly Dictionary<string, string> _typed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _typedErrors = new(StringComparer.Ordinal);

    [CascadingParameter] public required IMudDialogInstance MudDialog { get; set; }
    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    [Parameter, EditorRequired] public required string HostA { get; set; }
    [Parameter, EditorRequired] public required string HostB { get; set; }
    /// <summary>Starts with this existing segment chosen instead of a new one.</summary>
    [Parameter] public string? Segment { get; set; }

    [Inject] public required TopologyData Data { get; init; }
    [Inject] public required ISegmentRunner Runner { get; init; }

    private static readonly Transport[] Transports = [Transport.Vxlan, Transport.Gretap, Transport.L2tpv3Udp, Transport.L2tpv3Ip];

    protected override async Task OnInitializedAsync()
    {
        await Data.EnsureObservedAsync([HostA, HostB]);
        _hosts = await Data.HostsAsync();
        _segments = await Data.SegmentsAsync();
        _form = new TunnelForm { HostA = HostA, HostB = HostB, Name = TunnelDraftBuilder.SuggestName(_segments), Transport = DefaultTransport() };
        if (Segment is not null && _segments.Any(s => s.Id == Segment))
        {
            _newSegment = false;
            _form = _form with { ExistingSegment = Segment };
        }
        Recompute();
    }

    /// <summary>VXLAN unless a known kernel lacks it and has gretap.</summary>
    private Transport DefaultTransport()
    {
        var features = new[] { HostA, HostB }.Select(h => _hosts.Status(h).Observed?.Features).OfType<Core.Observed.KernelFeatures>().ToList();
        return features.Count > 0 && features.Any(f => !f.Vxlan) && features.All(f => f.Gretap) ? Transport.Gretap : Transport.Vxlan;
    }

    public static string TransportLabel(Transport transport) => transport switch
    {
        Transport.Gretap => "GRE (gretap)",
        Transport.L2tpv3Udp => "L2TPv3 over UDP",
        Transport.L2tpv3Ip => "L2TPv3 over IP",
        _ => "VXLAN",
    };

    private string RouterHost => _form.RouterHost ?? HostA;

    private bool CanLoop => _draft?.Loop is not null || _form.Stp
        || (!_newSegment && _draft?.Draft.Spec.Transport.IsPointToPoint() == true);

    private string Summary => Describe();

    private string Describe()
    {
        var spec = _draft!.Draft.Spec;
        return _newSegment
            ? $"New segment {spec.Name} ({TransportLabel(spec.Transport)}) on bridge {spec.Bridge}, {(spec.Router is { } router ? $"DHCP on {router.Host}" : "no DHCP router yet")}"
            : $"{HostA} ⟷ {HostB} joins segment {spec.Name} ({TransportLabel(spec.Transport)})";
    }

    private void SetNewSegment(bool value)
    {
        _newSegment = value;
        Change(_form with { ExistingSegment = value ? null : _segments.FirstOrDefault()?.Id });
    }

    private void SetExisting(string? segment) => Change(_form with { ExistingSegment = segment });

    private void Change(TunnelForm form)
    {
        _form = form;
        Recompute();
    }

    private void Recompute()
    {
        var form = _form;
        if (!_newSegment && _segments.FirstOrDefault(s => s.Id == form.ExistingSegment) is { } existing)
            form = form with { Transport = existing.Desired.Spec.Transport };
        _draft = TunnelDraftBuilder.Build(form, _segments, _hosts);
        if (_draft.IsValid) _lastValid = _draft;
    }

    // ---- Advanced fields: shown with Core's allocated value until the operator types their own (which pins it).

    private sealed record NumberField(string Name, string Label);

    private IEnumerable<NumberField> NumberFields
    {
        get
        {
            var transport = _draft!.Draft.Spec.Transport;
            if (transport == Transport.Gretap) yield return new(TunnelFields.GreKey, "GRE key (both ends)");
            if (transport.IsL2tp())
            {
                yield return new(TunnelFields.TunnelId, $"Tunnel id on {HostA}");
                yield return new(TunnelFields.PeerTunnelId, $"Tunnel id on {HostB}");
                yield return new(TunnelFields.SessionId, $"Session id on {HostA}");
                yield return new(TunnelFields.PeerSessionId, $"Session id on {HostB}");
            }
            if (transport == Transport.L2tpv3Udp)
            {
                yield return new(TunnelFields.SourcePort, $"UDP port on {HostA}");
                yield return new(TunnelFields.DestinationPort, $"UDP port on {HostB}");
            }
            if (transport == Transport.Vxlan) yield return new(TunnelFields.Vni, "VNI");
            yield return new(TunnelFields.Mtu, "Segment MTU");
        }
    }

    private string Helper(NumberField field) => _typed.ContainsKey(field.Name)
        ? "pinned"
        : field.Name == TunnelFields.Mtu ? $"auto: the most the underlays carry ({_draft?.MaximumMtu})" : "auto-paired";

    private string? Display(string field) => _typed.TryGetValue(field, out var text) ? text : Allocated(field);

    private string? Allocated(string field)
    {
        var draft = _draft is { IsValid: true } ? _draft : _lastValid;
        var link = draft?.Link;
        object? value = field switch
        {
            TunnelFields.GreKey => link?.GreKey,
            TunnelFields.TunnelId => link?.TunnelIdA,
            TunnelFields.PeerTunnelId => link?.TunnelIdB,
            TunnelFields.SessionId => link?.SessionIdA,
            TunnelFields.PeerSessionId => link?.SessionIdB,
            TunnelFields.SourcePort => link?.PortA,
            TunnelFields.DestinationPort => link?.PortB,
            TunnelFields.Vni => draft?.Vni,
            TunnelFields.Mtu => draft?.Mtu,
            _ => null,
        };
        return value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    private string? Error(string field) => _typedErrors.TryGetValue(field, out var local) ? local : _draft?.ErrorFor(field);

    private void Type(string field, string? text)
    {
        text = text?.Trim() ?? "";
        _typedErrors.Remove(field);
        long? value = null;
        if (text.Length == 0) _typed.Remove(field);
        else
        {
            _typed[field] = text;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) value = parsed;
            else _typedErrors[field] = $"'{text}' is not a whole number";
        }
        int? port = value is { } v && v is >= int.MinValue and <= int.MaxValue ? (int)v : value is null ? null : -1;
        var pins = _form.Pins;
        pins = field switch
        {
            TunnelFields.GreKey => pins with { GreKey = value },
            TunnelFields.TunnelId => pins with { TunnelId = value },
            TunnelFields.PeerTunnelId => pins with { PeerTunnelId = value },
            TunnelFields.SessionId => pins with { SessionId = value },
            TunnelFields.PeerSessionId => pins with { PeerSessionId = value },
            TunnelFields.SourcePort => pins with { SourcePort = port },
            TunnelFields.DestinationPort => pins with { DestinationPort = port },
            TunnelFields.Vni => pins with { Vni = value },
            TunnelFields.Mtu => pins with { Mtu = port },
            _ => pins,
        };
        Change(_form with { Pins = pins });
    }

    private IEnumerable<(string Host, string Device)> Devices
    {
        get
        {
            var draft = _draft is { IsValid: true } ? _draft : _lastValid;
            if (draft is null) yield break;
            if (draft.Link is { } link)
            {
                yield return (link.A.Value, link.DeviceA);
                yield return (link.B.Value, link.DeviceB);
            }
            else if (draft.Draft.Spec.Transport == Transport.Vxlan)
            {
                foreach (var host in new[] { HostA, HostB })
                    if (draft.VxlanDevice(host) is { } device) yield return (host, device);
            }
        }
    }

    // ---- Apply

    private async IAsyncEnumerable<ApplyEvent> RunApply([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var user = await DialogUser.NameAsync(Authentication);
        await foreach (var e in Runner.ApplyAsync(_draft!.Draft.Spec, create: _draft.Form.ExistingSegment is null, _draft.Draft.Fingerprint, user, cancellationToken))
            yield return e;
    }

    private void Finished(ApplyLogModel log) => _finished = log;

    private void Cancel() => MudDialog.Cancel();

    private void Close() => MudDialog.Close(DialogResult.Ok(_finished?.Result?.Status));
}
