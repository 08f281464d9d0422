namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// What a feature request asks for, from a closed list: the only thing about a request that is ever counted (its text
/// never is). <see cref="Other"/> catches everything the keywords (or, later, the AI port) cannot place.
/// </summary>
public enum FeatureCategory
{
    DarkMode,
    AdBlocking,
    Accessibility,
    Reading,
    Shopping,
    Media,
    Privacy,
    Notifications,
    Productivity,
    Layout,
    Other,
}
