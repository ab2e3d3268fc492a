using Npgsql;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.UnitTests.Persistence;

public sealed class PoolDefaultsTests
{
    private const string Plain = "Host=127.0.0.1;Port=5432;Username=vantabot;Password=secret;Database=vantabot";

    [Fact]
    public void A_plain_connection_string_gets_auto_preparation_and_no_session_reset()
    {
        var applied = new NpgsqlConnectionStringBuilder(PersistenceRegistration.WithPoolDefaults(Plain));

        applied.MaxAutoPrepare.ShouldBe(PersistenceRegistration.DefaultMaxAutoPrepare);
        applied.NoResetOnClose.ShouldBeTrue();
        applied.Host.ShouldBe("127.0.0.1");
        applied.Password.ShouldBe("secret");
        applied.Database.ShouldBe("vantabot");
    }

    [Theory]
    [InlineData("Max Auto Prepare=0")]
    [InlineData("MaxAutoPrepare=0")]
    [InlineData("max auto prepare=0")]
    public void An_operator_choice_of_auto_preparation_is_kept(string choice)
    {
        var applied = new NpgsqlConnectionStringBuilder(PersistenceRegistration.WithPoolDefaults($"{Plain};{choice}"));

        applied.MaxAutoPrepare.ShouldBe(0);
        applied.NoResetOnClose.ShouldBeTrue();
    }

    [Theory]
    [InlineData("No Reset On Close=false")]
    [InlineData("NoResetOnClose=false")]
    public void An_operator_choice_of_session_reset_is_kept(string choice)
    {
        var applied = new NpgsqlConnectionStringBuilder(PersistenceRegistration.WithPoolDefaults($"{Plain};{choice}"));

        applied.NoResetOnClose.ShouldBeFalse();
        applied.MaxAutoPrepare.ShouldBe(PersistenceRegistration.DefaultMaxAutoPrepare);
    }
}
