namespace Shared.Domain.DataSharing.Privacy;

/// <summary>What an opted-in user's event records: a closed list, so a kind can be released as it is.</summary>
public enum DataSharingEventKind
{
    /// <summary>The user opened a page of the site with the extension active.</summary>
    Visit,

    /// <summary>A generated feature ran on a page of the site.</summary>
    FeatureRun,

    /// <summary>The user asked for a new feature while on the site.</summary>
    FeatureRequest,

    /// <summary>The user installed a WebSquare feature for the site.</summary>
    WebSquareInstall,
}
