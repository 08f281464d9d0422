namespace Functions.Api.Campaigns;

/// <summary>The caller's like after <c>POST|DELETE /offers/{offer_id}/like</c>, and the offer's exact like count.</summary>
public sealed record LikeResponse(bool Liked, long LikeCount);
