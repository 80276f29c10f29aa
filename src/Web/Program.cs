using Superbridge.Web;
using Superbridge.Web.Api;
using Superbridge.Web.Authentication;
using Superbridge.Web.Components;
using Superbridge.Web.Configuration;
using Superbridge.Web.Storage;

var layout = RepositoryLayout.Locate(AppContext.BaseDirectory, Directory.GetCurrentDirectory());
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = layout.AssetsDirectory });
builder.Configuration.AddRepositorySettings(layout);
// Package assets (MudBlazor, the diagram library, Blazor's own script) come from the build's manifest in every
// environment, so `dotnet run` and the built dll serve a working UI, not only under ASPNETCORE_ENVIRONMENT=Development.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddSuperbridgeWeb(builder.Configuration, layout);
builder.Services.AddApiErrorHandling();

var app = builder.Build();

var data = app.Services.GetRequiredService<DataDirectory>();
data.EnsureCreated();
DataDirectoryLock dataLock;
try
{
    dataLock = DataDirectoryLock.Acquire(data);
}
catch (IOException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
using var heldLock = dataLock;
await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(SchemaMigrations.All);
await app.Services.GetRequiredService<AdminAccountInitializer>().EnsureAdminAsync(Console.Out);

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
// The API answers with its own status codes; only pages get the friendly not-found page.
app.UseWhen(
    context => !context.Request.Path.StartsWithSegments("/api"),
    pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
app.UseApiErrorHandling();
// Files of wwwroot-assets (logo, styles, icons) are public and served before routing, so the sign-in page is styled
// and no page route or fallback endpoint claims them first.
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapOpenApi().AllowAnonymous();
app.MapGet("/api/health", () => Results.Ok(new { status = "ok" })).AllowAnonymous();
app.MapAccountEndpoints();
app.MapGroup("/api").RequireAuthorization(WebServiceCollectionExtensions.ApiPolicy).ProducesApiErrors().RefuseNullListElements()
    .MapHostsApi().MapSegmentsApi().MapOperationsApi().MapContainersApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
