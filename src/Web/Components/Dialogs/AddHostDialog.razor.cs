using Microsoft.AspNetCore.Components;
using MudBlazor;
using Superbridge.Ssh;
using Superbridge.Web.Hosts;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>
/// Adds a host in two steps: Connect reads the host key (nothing is stored), then the operator confirms the
/// fingerprint (or explicitly chooses trust-on-first-use) and Add logs in under that key and stores the host.
/// Closes with the stored host.
/// </summary>
public partial class AddHostDialog
{
    private HostKeyInfo? _hostKey;
    private SshFailure? _probeFailure;
    private bool _compared;
    private bool _trustOnFirstUse;
    private bool _probing;
    private bool _adding;
    private bool _validated;
    private bool _registrationFailed;

    [Inject] public required IHostRegistrar Registrar { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    [CascadingParameter] public required IMudDialogInstance MudDialog { get; set; }

    public AddHostForm Form { get; } = new();

    private FormErrors Errors { get; set; } = FormErrors.None;

    private bool Probed => _hostKey is not null;
    private bool Busy => _probing || _adding;
    private bool CanAdd => Probed && (_compared || _trustOnFirstUse) && !Busy;
    private string NameHelper => string.IsNullOrWhiteSpace(Form.Name) && Form.Address.Length > 0 ? $"Defaults to {Form.EffectiveName}" : "How the dashboard names this host";

    /// <summary>The command that prints the key's fingerprint on the host, for the algorithm it presented.</summary>
    public static string KeygenHint(string algorithm)
    {
        var type = algorithm switch
        {
            "ssh-rsa" or "rsa-sha2-256" or "rsa-sha2-512" => "rsa",
            _ when algorithm.StartsWith("ecdsa", StringComparison.Ordinal) => "ecdsa",
            _ => "ed25519",
        };
        return $"ssh-keygen -lf /etc/ssh/ssh_host_{type}_key.pub";
    }

    private async Task ConnectAsync()
    {
        _validated = true;
        _registrationFailed = false;
        Errors = Form.ValidateBeforeConnect();
        if (Errors.Any) return;

        _probing = true;
        _probeFailure = null;
        _hostKey = null;
        _compared = _trustOnFirstUse = false;
        try
        {
            (_hostKey, _probeFailure) = await Registrar.ProbeAsync(Form.Address.Trim(), Form.Port);
        }
        finally
        {
            _probing = false;
        }
    }

    private async Task AddAsync()
    {
        if (!CanAdd) return;
        _adding = true;
        try
        {
            var hostKey = _compared ? _hostKey!.Fingerprint.Value : AddHostRequest.TrustOnFirstUse;
            var result = await Registrar.AddAsync(Form.ToRequest(hostKey));
            if (result.Host is { } host)
            {
                Snackbar.Add($"Host {host.Name} added", Severity.Success);
                MudDialog.Close(DialogResult.Ok(host));
                return;
            }
            _registrationFailed = true;
            Errors = new FormErrors(result.Errors.ToDictionary(), Form.Authentication);
        }
        finally
        {
            _adding = false;
        }
    }

    /// <summary>The key belongs to the address it was read from: another address must be probed again.</summary>
    private Task AddressChangedAsync()
    {
        _hostKey = null;
        _probeFailure = null;
        _compared = _trustOnFirstUse = false;
        FieldChanged();
        return Task.CompletedTask;
    }

    private void FieldChanged()
    {
        _registrationFailed = false;
        if (_validated) Errors = Form.ValidateBeforeConnect();
    }

    private void ComparedChanged()
    {
        if (_compared) _trustOnFirstUse = false;
    }

    private void TrustChanged()
    {
        if (_trustOnFirstUse) _compared = false;
    }

    private void Cancel() => MudDialog.Cancel();
}
