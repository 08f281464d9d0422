using System.Text;
using System.Text.Json;
using Shared.Domain.Common;
using Stripe;

namespace Shared.Infrastructure.Stripe;

/// <summary>
/// A webhook delivery checked and read by Stripe.net: <see cref="EventUtility.ValidateSignature(string, string, string, long, long)"/>
/// with the injected clock's time (the overload without <c>utcNow</c> reads the machine clock, so it is never used),
/// against each accepted secret (current and previous, during a rotation); then <see cref="EventUtility.ParseEvent"/>,
/// which refuses events of another API release train. Stripe.net throws a variety of exceptions for bodies that are
/// not Stripe's (null references, invalid operations, JSON errors), so the envelope is checked first and anything the
/// parser still throws is the body's fault: a 400, never a 500.
/// </summary>
public static class StripeWebhook
{
    public const string SignatureHeader = "Stripe-Signature";
    public const long ToleranceSeconds = EventUtility.DefaultTimeTolerance;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The body as text when <paramref name="header"/> verifies with one of <paramref name="secrets"/> at <paramref name="now"/>.</summary>
    public static Result<string> Verify(ReadOnlySpan<byte> body, string? header, IReadOnlyList<string> secrets, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return Refused("the Stripe-Signature header is missing");
        }

        string json;
        try
        {
            json = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return Refused("the body is not UTF-8, so no signature over it can be checked");
        }

        string? why = null;
        foreach (var secret in secrets)
        {
            try
            {
                EventUtility.ValidateSignature(json, header, secret, ToleranceSeconds, now.ToUnixTimeSeconds());
                return json;
            }
            catch (Exception e) when (e is StripeException or FormatException or OverflowException)
            {
                // FormatException/OverflowException: a timestamp Stripe.net cannot read as a 32-bit number.
                why ??= e.Message;
            }
        }

        return Refused(why ?? "no webhook secret to check against");
    }

    /// <summary>The event, when the verified body is an event of our API version that Stripe.net can read.</summary>
    public static Result<Event> Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("object", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != "event"
                || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty("object", out var inner) || inner.ValueKind != JsonValueKind.Object)
            {
                return Invalid("The body is not a Stripe event (an object with \"object\":\"event\" and data.object).");
            }

            if (!root.TryGetProperty("api_version", out var version) || version.ValueKind != JsonValueKind.String
                || version.GetString() is not { Length: > 0 and <= 64 } apiVersion || !EventUtility.IsCompatibleApiVersion(apiVersion))
            {
                return new Error(
                    ErrorKind.Validation,
                    "unsupported_api_version",
                    $"The event's api_version is not of the release train of {StripeApiVersion.Pinned}; create the webhook endpoint with that version.");
            }
        }
        catch (JsonException)
        {
            return Invalid("The body is not JSON.");
        }

        try
        {
            return EventUtility.ParseEvent(json, throwOnApiVersionMismatch: true);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return Invalid($"Stripe.net cannot read the event ({e.GetType().Name}): {Truncate(e.Message)}");
        }
    }

    /// <summary>A header as Stripe would send it (the local payment sandbox signs its events with Stripe.net's own signer).</summary>
    public static string Sign(string json, string secret, DateTimeOffset at) => EventUtility.GenerateSignatureHeader(json, secret, at.ToUnixTimeSeconds());

    private static Error Refused(string why) => new(ErrorKind.Validation, "invalid_signature", $"The Stripe-Signature header does not verify: {Truncate(why)}");

    private static Error Invalid(string detail) => new(ErrorKind.Validation, "invalid_event", detail);

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
