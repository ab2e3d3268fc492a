using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.Infrastructure.Evm.Rpc;

/// <summary>Reads the node's JSON into our records and writes our requests; strict, since the node is not ours.</summary>
internal static class EvmRpcJson
{
    public static BigInteger Quantity(JsonElement element) => Hex.ToQuantity(String(element));

    public static BigInteger Quantity(JsonElement parent, string name) => Quantity(Required(parent, name));

    public static BigInteger? OptionalQuantity(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Hex.ToQuantity(value.GetString()!) : null;

    public static byte[] Data(JsonElement element) => Hex.ToBytes(String(element));

    public static EvmHash Hash(JsonElement parent, string name) => EvmHash.Parse(String(Required(parent, name)));

    public static EvmHash? OptionalHash(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? EvmHash.Parse(value.GetString()!) : null;

    public static EvmAddress? OptionalAddress(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? EvmAddress.Parse(value.GetString()!) : null;

    public static EvmBlock Block(JsonElement e) => new(
        Quantity(e, "number"),
        Hash(e, "hash"),
        Hash(e, "parentHash"),
        (long)Quantity(e, "timestamp"),
        OptionalQuantity(e, "baseFeePerGas"));

    public static EvmLog Log(JsonElement e) => new(
        EvmAddress.Parse(String(Required(e, "address"))),
        Required(e, "topics").EnumerateArray().Select(t => EvmHash.Parse(String(t))).ToArray(),
        Data(Required(e, "data")),
        OptionalQuantity(e, "logIndex") ?? BigInteger.Zero,
        e.TryGetProperty("removed", out var removed) && removed.ValueKind == JsonValueKind.True,
        OptionalQuantity(e, "blockNumber"),
        OptionalHash(e, "blockHash"),
        OptionalHash(e, "transactionHash"));

    public static EvmReceipt Receipt(JsonElement e) => new(
        Hash(e, "transactionHash"),
        Quantity(e, "status"),
        Quantity(e, "blockNumber"),
        Hash(e, "blockHash"),
        Quantity(e, "gasUsed"),
        // Post-London nodes always report it; an older node's legacy gasPrice is the same number.
        OptionalQuantity(e, "effectiveGasPrice") ?? OptionalQuantity(e, "gasPrice") ?? BigInteger.Zero,
        OptionalAddress(e, "from") ?? EvmAddress.Zero,
        OptionalAddress(e, "to"),
        OptionalAddress(e, "contractAddress"),
        Required(e, "logs").EnumerateArray().Select(Log).ToArray());

    public static EvmTransaction Transaction(JsonElement e) => new(
        Hash(e, "hash"),
        EvmAddress.Parse(String(Required(e, "from"))),
        OptionalAddress(e, "to"),
        Quantity(e, "nonce"),
        Quantity(e, "value"),
        Data(Required(e, "input")),
        Quantity(e, "gas"),
        OptionalQuantity(e, "gasPrice"),
        OptionalQuantity(e, "maxFeePerGas"),
        OptionalQuantity(e, "maxPriorityFeePerGas"),
        OptionalQuantity(e, "blockNumber"),
        OptionalHash(e, "blockHash"),
        (int)(OptionalQuantity(e, "type") ?? BigInteger.Zero));

    public static JsonObject CallObject(EvmCallRequest call)
    {
        var o = new JsonObject { ["to"] = call.To.ToString(), ["data"] = Hex.FromBytes(call.Data) };
        if (call.From is { } from)
        {
            o["from"] = from.ToString();
        }

        if (call.Value is { } value)
        {
            o["value"] = Hex.FromQuantity(value);
        }

        if (call.Gas is { } gas)
        {
            o["gas"] = Hex.FromQuantity(gas);
        }

        return o;
    }

    public static JsonObject FilterObject(EvmLogFilter filter)
    {
        var o = new JsonObject();
        if (filter.BlockHash is { } blockHash)
        {
            o["blockHash"] = blockHash.Hex;
        }
        else
        {
            o["fromBlock"] = filter.FromBlock.Value;
            o["toBlock"] = filter.ToBlock.Value;
        }

        if (filter.Addresses.Count > 0)
        {
            o["address"] = new JsonArray([.. filter.Addresses.Select(a => (JsonNode?)JsonValue.Create(a.ToString()))]);
        }

        if (filter.Topics.Count > 0)
        {
            o["topics"] = new JsonArray([.. filter.Topics.Select(position => position is null
                ? null
                : (JsonNode)new JsonArray([.. position.Select(t => (JsonNode?)JsonValue.Create(t.Hex))]))]);
        }

        return o;
    }

    private static JsonElement Required(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new FormatException($"the node's answer lacks '{name}'");

    private static string String(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new FormatException($"expected a hex string, got {element.ValueKind}");
}
