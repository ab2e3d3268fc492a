using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using VantaBot.Infrastructure.Evm.Chains;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.IntegrationTests.Support;
using static VantaBot.IntegrationTests.Evm.EvmTestSupport;

namespace VantaBot.IntegrationTests.Evm;

/// <summary>Several endpoints per chain: a dead, hanging or failing first endpoint is passed over; its breaker then skips it.</summary>
public sealed class EvmRpcFailoverTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    // What an RPC provider's URL looks like: the key in the path and the query must never reach a log or an error.
    private const string PathSecret = "PATHKEY123secret";
    private const string QuerySecret = "QUERYKEY456secret";

    private readonly AnvilNode _node = fixture.Node;

    private static string ClosedPortUrl() => $"http://127.0.0.1:{BotProcess.FreePort()}/v2/{PathSecret}?apikey={QuerySecret}";

    [Fact]
    public async Task A_dead_first_endpoint_is_passed_over_and_logged_without_its_secrets()
    {
        var logger = new ListLogger<EvmRpcClient>();
        var client = Client(Options(ClosedPortUrl(), _node.Url), logger);

        (await client.GetChainIdAsync(CancellationToken.None)).ShouldBe(AnvilNode.ChainId);

        var line = logger.Lines.ShouldHaveSingleItem();
        line.ShouldContain("#1 http://127.0.0.1:");
        line.ShouldContain("eth_chainId");
        line.ShouldNotContain(PathSecret);
        line.ShouldNotContain(QuerySecret);
    }

    [Fact]
    public async Task A_hanging_first_endpoint_times_out_and_the_second_answers()
    {
        await using var hanging = HangingEndpoint.Start();
        var options = Options(hanging.Url, _node.Url);
        options.RequestTimeout = TimeSpan.FromSeconds(1);
        var client = Client(options);

        var clock = Stopwatch.StartNew();
        (await client.GetBlockNumberAsync(CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(0);

        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4));
        hanging.Accepted.ShouldBe(1);
    }

    [Fact]
    public async Task An_open_breaker_skips_its_endpoint_until_the_break_ends()
    {
        await using var hanging = HangingEndpoint.Start();
        var options = Options(hanging.Url, _node.Url);
        options.RequestTimeout = TimeSpan.FromMilliseconds(500);
        options.BreakAfterFailures = 2;
        options.BreakDuration = TimeSpan.FromSeconds(2);
        var logger = new ListLogger<EvmRpcClient>();
        var client = Client(options, logger);

        await client.GetBlockNumberAsync(CancellationToken.None);
        await client.GetBlockNumberAsync(CancellationToken.None);
        hanging.Accepted.ShouldBe(2);
        logger.Lines.ShouldContain(l => l.Contains("circuit opened"));

        // Open: answered by the second endpoint at once, the first not even asked.
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            await client.GetBlockNumberAsync(CancellationToken.None);
        }

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(450));
        hanging.Accepted.ShouldBe(2);

        // After the break the first endpoint gets a trial call again.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        await client.GetBlockNumberAsync(CancellationToken.None);
        hanging.Accepted.ShouldBe(3);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task An_endpoint_answering_http_5xx_or_429_is_passed_over(int status)
    {
        await using var failing = await LocalHttpServer.StartAsync(LocalHttpServer.Json("""{"message":"busy"}""", status));
        var client = Client(Options(failing.BaseUrl.AbsoluteUri, _node.Url));

        (await client.GetChainIdAsync(CancellationToken.None)).ShouldBe(AnvilNode.ChainId);

        failing.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_json_rpc_error_from_the_first_endpoint_is_final_even_when_another_would_answer()
    {
        await using var refusing = await LocalHttpServer.StartAsync(LocalHttpServer.Json(
            """{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"nonce too low","data":"0x1234"}}"""));
        var client = Client(Options(refusing.BaseUrl.AbsoluteUri, _node.Url));

        var error = await Should.ThrowAsync<EvmRpcException>(() => client.GetBlockNumberAsync(CancellationToken.None));

        error.Code.ShouldBe(-32000);
        error.RpcMessage.ShouldBe("nonce too low");
        error.RevertData.ShouldBe(new byte[] { 0x12, 0x34 });
        error.IsRevert.ShouldBeFalse();
        refusing.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_node_without_eth_maxPriorityFeePerGas_gives_the_configured_tip()
    {
        await using var old = await LocalHttpServer.StartAsync(LocalHttpServer.Json(
            """{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"the method eth_maxPriorityFeePerGas does not exist/is not available"}}"""));
        var options = Options(old.BaseUrl.AbsoluteUri);
        options.PriorityFeeGwei = 1.5m;

        (await Client(options).GetMaxPriorityFeePerGasAsync(CancellationToken.None)).ShouldBe(new System.Numerics.BigInteger(1_500_000_000));
    }

    [Fact]
    public async Task Every_endpoint_dead_gives_one_error_naming_the_chain_and_no_secret()
    {
        await using var hanging = HangingEndpoint.Start();
        var options = Options(ClosedPortUrl(), $"{hanging.Url}/rpc/{PathSecret}");
        options.RequestTimeout = TimeSpan.FromMilliseconds(500);
        var client = Client(options, chain: "base-test");

        var error = await Should.ThrowAsync<EvmRpcUnavailableException>(() => client.GetBlockNumberAsync(CancellationToken.None));

        error.Chain.ShouldBe("base-test");
        error.Message.ShouldStartWith("base-test: no RPC endpoint answered eth_blockNumber");
        error.Message.ShouldContain("#1 http://127.0.0.1:");
        error.Message.ShouldContain("#2 http://127.0.0.1:");
        error.Message.ShouldContain("no answer within 0.5 s");
        error.Message.ShouldNotContain(PathSecret);
        error.Message.ShouldNotContain(QuerySecret);
        error.Failures.Count.ShouldBe(2);
    }

    [Fact]
    public async Task The_readiness_check_reports_which_endpoints_answer()
    {
        var options = new ChainsOptions();
        options.Chains["anvil"] = Options(ClosedPortUrl(), _node.Url);
        var clients = new EvmRpcClients(Microsoft.Extensions.Options.Options.Create(options), Http, TimeProvider.System, NullLoggerFactory.Instance);
        var check = new EvmRpcHealthCheck(clients, "anvil");

        var degraded = await check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None);
        degraded.Status.ShouldBe(HealthStatus.Degraded);
        degraded.Description.ShouldNotBeNull().ShouldStartWith("anvil: 1/2 endpoints answer");
        degraded.Description.ShouldContain("#2 http://127.0.0.1:");
        degraded.Description.ShouldContain("ok (head ");
        degraded.Description.ShouldNotContain(PathSecret);

        options.Chains["wrong"] = Options(_node.Url);
        options.Chains["wrong"].ChainId = 8453;
        var wrongClients = new EvmRpcClients(Microsoft.Extensions.Options.Options.Create(options), Http, TimeProvider.System, NullLoggerFactory.Instance);
        var wrong = await new EvmRpcHealthCheck(wrongClients, "wrong").CheckHealthAsync(new HealthCheckContext(), CancellationToken.None);
        wrong.Status.ShouldBe(HealthStatus.Unhealthy);
        wrong.Description.ShouldNotBeNull().ShouldContain("serves chain id 31337, configured 8453");
    }

    /// <summary>A TCP listener that accepts connections and never answers: a node that hangs.</summary>
    private sealed class HangingEndpoint : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _sockets = [];
        private readonly CancellationTokenSource _stop = new();
        private int _accepted;

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public int Accepted => Volatile.Read(ref _accepted);

        public static HangingEndpoint Start()
        {
            var endpoint = new HangingEndpoint();
            endpoint._listener.Start();
            _ = endpoint.AcceptAsync();
            return endpoint;
        }

        public ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_sockets)
            {
                _sockets.ForEach(s => s.Dispose());
            }

            _stop.Dispose();
            return ValueTask.CompletedTask;
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    lock (_sockets)
                    {
                        _sockets.Add(socket);
                    }

                    Interlocked.Increment(ref _accepted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }
}
