using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Admin;
using VantaBot.Bot.Admin.Commands;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Pipeline;
using VantaBot.Risk;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Admin;

/// <summary>The LIVE switch: SuperAdmin (pipeline), Trading__AllowLive, and a confirmation tap within 60 s on a hand-moved clock.</summary>
public sealed class ExecutionModeSwitchTests
{
    private const long SuperId = 1;
    private const long OtherSuperId = 2;
    private readonly ManualClock _clock = new();
    private readonly InMemoryExecutionMode _mode = new();
    private readonly RecordingAudit _audit = new();
    private readonly RecordingReplies _replies = new();
    private readonly InMemoryRoles _roles = new();
    private readonly LiveSwitchConfirmations _confirmations;

    public ExecutionModeSwitchTests()
    {
        _confirmations = new LiveSwitchConfirmations(_clock);
    }

    [Fact]
    public void Live_needs_a_super_admin_and_dry_an_admin()
    {
        ExecutionModeCommand.RequiredRole(["LIVE"]).ShouldBe(Role.SuperAdmin);
        ExecutionModeCommand.RequiredRole(["live"]).ShouldBe(Role.SuperAdmin);
        ExecutionModeCommand.RequiredRole(["DRY"]).ShouldBe(Role.Admin);
        ExecutionModeCommand.RequiredRole([]).ShouldBe(Role.Admin);
    }

    [Fact]
    public async Task Without_allow_live_it_is_refused_and_no_card_is_shown()
    {
        await Command(allowLive: false).HandleAsync(Context("/execution_mode LIVE"), default);

        var reply = _replies.Sent.ShouldHaveSingleItem();
        reply.Text.ShouldContain("Trading__AllowLive=false");
        reply.Keyboard.ShouldBeNull();
        _mode.Mode.ShouldBe(ExecutionMode.Dry);
        _mode.Writes.ShouldBe(0);
        _audit.Records.ShouldHaveSingleItem().Outcome.ShouldBe("refused: Trading__AllowLive=false");
    }

    [Fact]
    public async Task Asking_shows_a_card_and_changes_nothing_until_confirmed()
    {
        await Command().HandleAsync(Context("/execution_mode LIVE"), default);

        var card = _replies.Sent.ShouldHaveSingleItem();
        card.Text.ShouldContain("Confirm within 60 s");
        card.Keyboard.ShouldNotBeNull();
        _mode.Mode.ShouldBe(ExecutionMode.Dry);
        _audit.Records.ShouldHaveSingleItem().Outcome.ShouldContain("awaiting confirmation");
    }

    [Fact]
    public async Task Confirmed_within_60_seconds_by_the_same_super_admin_switches_to_live()
    {
        var token = await AskAsync();
        _clock.Advance(TimeSpan.FromSeconds(59));

        (await Confirm().HandleAsync(Callback(SuperId, token), default)).ShouldBe(UpdateOutcome.Ok);

        _mode.Mode.ShouldBe(ExecutionMode.Live);
        _replies.Edits.ShouldHaveSingleItem().Text.ShouldContain("now LIVE");
        _audit.Records.Last().Outcome.ShouldBe("ok: DRY -> LIVE");
    }

    [Fact]
    public async Task A_confirmation_after_60_seconds_is_expired_and_the_mode_stays_dry()
    {
        var token = await AskAsync();
        _clock.Advance(TimeSpan.FromSeconds(61));

        (await Confirm().HandleAsync(Callback(SuperId, token), default)).ShouldBe(UpdateOutcome.Rejected);

        _mode.Mode.ShouldBe(ExecutionMode.Dry);
        _mode.Writes.ShouldBe(0);
        _replies.Edits.ShouldHaveSingleItem().Text.ShouldContain("expired");
        _audit.Records.Last().Outcome.ShouldContain("expired");
    }

    [Fact]
    public async Task Another_super_admin_cannot_confirm_someone_elses_card()
    {
        var token = await AskAsync();

        (await Confirm().HandleAsync(Callback(OtherSuperId, token), default)).ShouldBe(UpdateOutcome.Rejected);

        _mode.Mode.ShouldBe(ExecutionMode.Dry);
        _replies.Answers.ShouldHaveSingleItem()!.ShouldContain("Only the super-admin who asked");
        _audit.Records.Last().Outcome.ShouldContain("not the owner");
    }

    [Fact]
    public async Task Consent_withdrawn_between_asking_and_confirming_keeps_dry()
    {
        var token = await AskAsync();
        (await Confirm(allowLive: false).HandleAsync(Callback(SuperId, token), default)).ShouldBe(UpdateOutcome.Rejected);
        _mode.Mode.ShouldBe(ExecutionMode.Dry);
    }

    [Fact]
    public async Task Dry_is_set_at_once_by_an_admin()
    {
        _mode.Mode = ExecutionMode.Live;
        await Command().HandleAsync(Context("/execution_mode dry", Role.Admin), default);
        _mode.Mode.ShouldBe(ExecutionMode.Dry);
        _audit.Records.ShouldHaveSingleItem().Outcome.ShouldBe("ok: LIVE -> DRY");
    }

    private async Task<string> AskAsync()
    {
        await Command().HandleAsync(Context("/execution_mode LIVE"), default);
        var data = _replies.Sent.Single().Keyboard!.InlineKeyboard.SelectMany(r => r).First().CallbackData!;
        data.ShouldStartWith(ExecutionModeCommand.ConfirmPrefix + ":");
        return data[(ExecutionModeCommand.ConfirmPrefix.Length + 1)..];
    }

    private ExecutionModeCommand Command(bool allowLive = true) =>
        new(_mode, _mode, _confirmations, Notifier(), Options.Create(new TradingOptions { AllowLive = allowLive }), _audit);

    private GoLiveConfirmCallback Confirm(bool allowLive = true) =>
        new(_confirmations, _mode, Notifier(), Options.Create(new TradingOptions { AllowLive = allowLive }), _audit);

    private AdminNotifier Notifier() =>
        new(_roles, Options.Create(new AccessOptions { SuperAdminIds = $"{SuperId},{OtherSuperId}" }), NullLogger<AdminNotifier>.Instance);

    private CommandContext Context(string text, Role role = Role.SuperAdmin)
    {
        CommandLine.TryParse(text, out var command).ShouldBeTrue();
        return new CommandContext(InMemoryRoles.User(SuperId, role), SuperId, 1, command!, "trace", _replies);
    }

    private CallbackContext Callback(long user, string token) =>
        new(InMemoryRoles.User(user, Role.SuperAdmin), user, 77, "cb", token, "trace", _replies);
}
