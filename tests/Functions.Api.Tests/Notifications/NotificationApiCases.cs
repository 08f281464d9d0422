using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

// One test per scenario and store; the scenarios live in NotificationApiScenarios.

public sealed class SqliteNotificationApiTests(SqliteApi fixture) : NotificationApiScenarios, IClassFixture<SqliteApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [Fact]
    public Task The_inbox_pages_the_callers_own_notifications_newest_first_and_read_marks_stick() => The_inbox_pages_the_callers_own_notifications_newest_first_and_read_marks_stick_core();

    [Fact]
    public Task Devices_are_registered_and_removed_and_exported_with_the_inbox() => Devices_are_registered_and_removed_and_exported_with_the_inbox_core();

    [Fact]
    public Task Bad_input_is_refused_with_a_code_and_changes_nothing() => Bad_input_is_refused_with_a_code_and_changes_nothing_core();
}

public sealed class CosmosNotificationApiTests(CosmosApi fixture) : NotificationApiScenarios, IClassFixture<CosmosApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [CosmosFact]
    public Task The_inbox_pages_the_callers_own_notifications_newest_first_and_read_marks_stick() => The_inbox_pages_the_callers_own_notifications_newest_first_and_read_marks_stick_core();

    [CosmosFact]
    public Task Devices_are_registered_and_removed_and_exported_with_the_inbox() => Devices_are_registered_and_removed_and_exported_with_the_inbox_core();

    [CosmosFact]
    public Task Bad_input_is_refused_with_a_code_and_changes_nothing() => Bad_input_is_refused_with_a_code_and_changes_nothing_core();
}
