using Shared.Domain.Features;

namespace Shared.Infrastructure.Json;

/// <summary>Stored text of the feature enums.</summary>
public static class FeatureText
{
    public static string Format(FeatureRequestStatus status) => status switch
    {
        FeatureRequestStatus.Pending => "pending",
        FeatureRequestStatus.Processing => "processing",
        FeatureRequestStatus.Completed => "completed",
        _ => "failed",
    };

    public static string Format(ReservationState state) => state switch
    {
        ReservationState.Reserving => "reserving",
        ReservationState.Held => "held",
        ReservationState.Committed => "committed",
        _ => "released",
    };

    public static FeatureRequestStatus ParseStatus(string text) => text switch
    {
        "pending" => FeatureRequestStatus.Pending,
        "processing" => FeatureRequestStatus.Processing,
        "completed" => FeatureRequestStatus.Completed,
        "failed" => FeatureRequestStatus.Failed,
        _ => throw new FormatException($"Unknown feature request status '{text}'."),
    };

    public static ReservationState ParseReservation(string text) => text switch
    {
        "reserving" => ReservationState.Reserving,
        "held" => ReservationState.Held,
        "committed" => ReservationState.Committed,
        "released" => ReservationState.Released,
        _ => throw new FormatException($"Unknown reservation state '{text}'."),
    };
}
