using Microsoft.AspNetCore.Authorization;
using Shared.Domain.Common;

namespace Functions.Api.Auth;

/// <summary>Why a requirement failed, as the problem the caller gets (<see cref="ProblemAuthorizationResultHandler"/>).</summary>
public sealed class ProblemFailureReason(IAuthorizationHandler handler, Error error) : AuthorizationFailureReason(handler, error.Detail)
{
    public Error Error { get; } = error;
}
