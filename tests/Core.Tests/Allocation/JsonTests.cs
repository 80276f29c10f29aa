using System.Text.Json;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Allocation;

/// <summary>The web layer stores segments as JSON with System.Text.Json defaults plus web naming.</summary>
public class JsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void A_segment_round_trips_through_json()
    {
        var hosts = Given.Hosts(3);
        var spec = Given.Segment(Transport.L2tpv3Udp, 3) with { Links = [Given.Link("h1", "h2") with { Cookie = "0011aabb" }, Given.Link("h2", "h3")] };
        var segment = Given.Allocated(spec, hosts, observed: Given.ObservedAll(3));
        var json = JsonSerializer.Serialize(segment, Web);
        var back = JsonSerializer.Deserialize<Segment>(json, Web)!;
        Assert.Equal(json, JsonSerializer.Serialize(back, Web));
        Assert.Equal(SegmentPlanner.Plan(segment, hosts).Value.Hosts.SelectMany(h => h.Steps),
            SegmentPlanner.Plan(back, hosts).Value.Hosts.SelectMany(h => h.Steps));
    }

    [Theory]
    [InlineData(Transport.Gretap, "\"gretap\"")]
    [InlineData(Transport.L2tpv3Udp, "\"l2tpv3-udp\"")]
    [InlineData(Transport.L2tpv3Ip, "\"l2tpv3-ip\"")]
    [InlineData(Transport.Vxlan, "\"vxlan\"")]
    public void Transports_use_the_api_wire_names(Transport transport, string json)
    {
        Assert.Equal(json, JsonSerializer.Serialize(transport));
        Assert.Equal(transport, JsonSerializer.Deserialize<Transport>(json));
        Assert.Equal(json.Trim('"'), transport.ToWire());
        Assert.True(TransportNames.TryParse(json.Trim('"'), out var parsed) && parsed == transport);
    }

    [Fact]
    public void Host_ids_serialise_as_strings_and_dictionary_keys()
    {
        var hosts = Given.Hosts(2);
        var json = JsonSerializer.Serialize(hosts, Web);
        Assert.StartsWith("{\"h1\":{\"id\":\"h1\",\"address\":\"1.1.1.1\"", json);
        var back = JsonSerializer.Deserialize<Dictionary<HostId, HostInfo>>(json, Web)!;
        Assert.Equal(hosts["h2"], back["h2"]);
    }

    [Fact]
    public void A_spec_from_the_api_deserialises()
    {
        const string json = """
            {"name":"lan","transport":"vxlan","members":["h1","h2"],
             "router":{"host":"h1","gateway":"10.0.2.1/24","dhcpRange":{"start":"10.0.2.2","end":"10.0.2.254"},"nat":true}}
            """;
        var spec = JsonSerializer.Deserialize<SegmentSpec>(json, Web)!;
        Assert.Equal(("superbr0", Transport.Vxlan, "12h", RouterMode.Gateway), (spec.Bridge, spec.Transport, spec.Router!.LeaseTime, spec.Router.Mode));
        Assert.True(Superbridge.Core.Allocation.SegmentAllocator.Allocate(spec, Given.Hosts(2), []).IsOk);
    }
}

public class NullInputTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("""{"name":null,"bridge":null,"transport":"gretap","members":["h1","h2"],"links":[{"a":"h1","b":"h2"}],"router":{"host":"h1","gateway":"10.0.2.1/24","dhcpRange":{"start":"10.0.2.2","end":"10.0.2.9"},"leaseTime":null}}""", "name")]
    [InlineData("""{"name":"lan","transport":"gretap","members":["h1","h2"],"links":[null],"router":null}""", "links[0]")]
    [InlineData("""{"name":"lan","transport":"gretap","members":["h1","h2"],"links":[{"a":"h1","b":"h2"}],"attachments":[null],"router":{"host":"h1","dhcpRange":null}}""", "attachments[0]")]
    public void Nulls_from_json_are_errors_not_crashes(string json, string path)
    {
        var spec = JsonSerializer.Deserialize<SegmentSpec>(json, Web)!;
        var result = Superbridge.Core.Allocation.SegmentAllocator.Allocate(spec, Given.Hosts(2), []);
        Assert.False(result.IsOk);
        Assert.Contains(result.Errors, e => e.Path == path);
    }

    [Theory]
    [InlineData("""{"name":"lan","transport":"gretap","members":null}""")]
    [InlineData("""{"name":"lan","transport":"gretap","members":["h1",null]}""")]
    [InlineData("""{"name":"lan","transport":"bogus","members":["h1"]}""")]
    public void Json_that_cannot_be_a_spec_fails_at_deserialisation(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SegmentSpec>(json, Web));

    [Fact]
    public void A_stored_segment_with_null_lists_is_refused_not_crashed()
    {
        var hosts = Given.Hosts(2);
        var segment = Given.Allocated(Given.Segment(Transport.Gretap), hosts);
        var back = segment with { Allocation = segment.Allocation with { Links = default, Attachments = default } };
        Assert.Equal("allocation.links", Assert.Single(SegmentPlanner.Plan(back, hosts).Errors).Path);
        Assert.False(SegmentPlanner.Plan(segment with { Spec = segment.Spec with { Links = default } }, hosts).IsOk);
        Assert.False(SegmentPlanner.Plan(segment with { Allocation = null! }, hosts).IsOk);
    }
}
