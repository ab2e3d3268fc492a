using System.Numerics;
using Shouldly;
using VantaBot.Infrastructure.Evm.Primitives;
using Xunit;

namespace VantaBot.UnitTests.Evm;

public sealed class PrimitivesTests
{
    [Theory]
    [InlineData("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("transfer(address,uint256)", "0xa9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b")]
    public void Keccak_matches_published_digests(string input, string expected) =>
        Hex.FromBytes(Keccak256.Hash(input)).ShouldBe(expected);

    [Theory]
    // The four published EIP-55 examples.
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Checksummed_addresses_round_trip(string address)
    {
        EvmAddress.Parse(address.ToLowerInvariant()).ToString().ShouldBe(address);
        EvmAddress.TryParse(address, out _).ShouldBeTrue();
    }

    [Fact]
    public void A_mistyped_checksum_is_refused_with_the_reason()
    {
        EvmAddress.TryParse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", out _, out var problem).ShouldBeFalse();
        problem.ShouldContain("checksum");
        EvmAddress.TryParse("0x1234", out _, out problem).ShouldBeFalse();
        problem.ShouldContain("40 hex digits");
    }

    [Fact]
    public void Anvil_dev_key_derives_its_published_address()
    {
        using var key = EvmPrivateKey.FromBytes(Hex.ToBytes("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"));
        key.Address.ToString().ShouldBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        key.ToString().ShouldNotContain("ac0974");
    }

    [Fact]
    public void Generated_keys_differ_and_out_of_range_secrets_are_refused()
    {
        using var a = EvmPrivateKey.Generate();
        using var b = EvmPrivateKey.Generate();
        a.Address.ShouldNotBe(b.Address);
        Should.Throw<System.Security.Cryptography.CryptographicException>(() => EvmPrivateKey.FromBytes(new byte[32]));
    }

    [Theory]
    [InlineData(0, "0x0")]
    [InlineData(1024, "0x400")]
    public void Quantities_are_minimal_hex(long value, string hex)
    {
        Hex.FromQuantity(value).ShouldBe(hex);
        Hex.ToQuantity(hex).ShouldBe(new BigInteger(value));
    }

    [Theory]
    [InlineData("0x")]
    [InlineData("400")]
    [InlineData("0xzz")]
    public void Malformed_quantities_are_refused(string hex) => Should.Throw<FormatException>(() => Hex.ToQuantity(hex));
}
