using VantaBot.Trading.Audit;

namespace VantaBot.UnitTests.Admin;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("token=123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789", "token=[redacted]")]
    [InlineData("set 123456789:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789abc now", "set [redacted] now")]
    [InlineData("key 0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", "key [redacted]")]
    [InlineData("password: hunter2 and more", "password: [redacted] and more")]
    [InlineData("private_key=abc", "private_key=[redacted]")]
    public void Secrets_are_masked(string input, string expected) => SecretRedactor.Redact(input).ShouldBe(expected);

    [Theory]
    [InlineData("123456789 Operator")]
    [InlineData("exchange incident close_all")]
    [InlineData("on Upgrading the database, back in 10 minutes")]
    [InlineData("")]
    public void Ordinary_admin_arguments_stay_as_they_are(string input) => SecretRedactor.Redact(input).ShouldBe(input);
}
