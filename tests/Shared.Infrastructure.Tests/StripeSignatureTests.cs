using System.Diagnostics;
using System.Text;
using Shared.Infrastructure.Stripe;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>Our verification against headers made by Stripe's official Node client (an independent implementation).</summary>
public sealed class StripeSignatureTests
{
    private const string Secret = "whsec_test_secret_for_signatures";
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"id":"evt_1","object":"event","type":"invoice.paid","data":{"object":{"id":"in_1","amount_paid":999}}}""");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_795_300_000);

    [Fact]
    public void A_header_made_by_the_official_stripe_client_verifies()
    {
        var header = OfficialHeader(Payload, Secret, Now.ToUnixTimeSeconds());

        Assert.Equal(SignatureCheck.Valid, StripeSignature.Verify(Payload, header, [Secret], Now));
    }

    [Fact]
    public void Our_signer_agrees_with_the_official_client_byte_for_byte() =>
        Assert.Equal(OfficialHeader(Payload, Secret, Now.ToUnixTimeSeconds()), StripeSignature.Sign(Payload, Secret, Now));

    [Fact]
    public void A_tampered_body_does_not_verify()
    {
        var header = OfficialHeader(Payload, Secret, Now.ToUnixTimeSeconds());
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Payload).Replace("999", "1", StringComparison.Ordinal));

        Assert.Equal(SignatureCheck.Mismatch, StripeSignature.Verify(tampered, header, [Secret], Now));
    }

    [Fact]
    public void Another_secret_does_not_verify_but_a_second_accepted_secret_does()
    {
        var header = OfficialHeader(Payload, Secret, Now.ToUnixTimeSeconds());

        Assert.Equal(SignatureCheck.Mismatch, StripeSignature.Verify(Payload, header, ["whsec_other"], Now));
        Assert.Equal(SignatureCheck.Valid, StripeSignature.Verify(Payload, header, ["whsec_new_after_rotation", Secret], Now));
    }

    [Theory]
    [InlineData(-301, SignatureCheck.Stale)]
    [InlineData(-300, SignatureCheck.Valid)]
    [InlineData(301, SignatureCheck.Stale)]
    public void The_timestamp_must_be_within_five_minutes(int offsetSeconds, SignatureCheck expected)
    {
        var header = OfficialHeader(Payload, Secret, Now.ToUnixTimeSeconds() + offsetSeconds);

        Assert.Equal(expected, StripeSignature.Verify(Payload, header, [Secret], Now));
    }

    [Fact]
    public void Any_of_several_v1_signatures_may_match()
    {
        var good = OfficialHeader(Payload, Secret, Now.ToUnixTimeSeconds());
        var t = good.Split(',')[0];
        var v1 = good.Split(',')[1];

        var header = $"{t},v1={new string('0', 64)},{v1},v0={new string('a', 64)}";

        Assert.Equal(SignatureCheck.Valid, StripeSignature.Verify(Payload, header, [Secret], Now));
    }

    [Theory]
    [InlineData(null, SignatureCheck.MissingHeader)]
    [InlineData("", SignatureCheck.MissingHeader)]
    [InlineData("garbage", SignatureCheck.Malformed)]
    [InlineData("t=abc,v1=00", SignatureCheck.Malformed)]
    [InlineData("t=1,t=2,v1=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.Malformed)]
    [InlineData("v1=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.Malformed)]
    [InlineData("t=1795300000,v0=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.NoSignature)]
    [InlineData("t=1795300000,v1=zz00000000000000000000000000000000000000000000000000000000000000", SignatureCheck.Malformed)]
    public void Missing_and_malformed_headers_are_told_apart(string? header, SignatureCheck expected) =>
        Assert.Equal(expected, StripeSignature.Verify(Payload, header, [Secret], Now));

    /// <summary>stripe.webhooks.generateTestHeaderString from the pinned npm package.</summary>
    private static string OfficialHeader(byte[] payload, string secret, long timestamp)
    {
        var script = "const s=require('stripe')('sk_test_unused');let d='';process.stdin.on('data',c=>d+=c).on('end',()=>process.stdout.write(" +
            "s.webhooks.generateTestHeaderString({payload:d,secret:process.argv[1],timestamp:Number(process.argv[2])})));";
        var start = new ProcessStartInfo("node", ["-e", script, secret, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = RepositoryPaths.Root(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        node.StandardInput.Write(Encoding.UTF8.GetString(payload));
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEnd();
        var error = node.StandardError.ReadToEnd();
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, $"node failed (run npm ci first): {error}");
        return output.Trim();
    }
}
