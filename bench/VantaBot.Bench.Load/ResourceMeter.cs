using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace VantaBot.Bench.Load;

/// <summary>
/// Where a phase's time went: CPU seconds of this process (bot + load generator), of the PostgreSQL server (the
/// postmaster and its backends) and of Redis, from /proc, and PostgreSQL's committed transactions — so a missed
/// target can be attributed rather than guessed at. The harness through the Telegram emulator also meters the
/// emulator (a Node process) the same way.
/// </summary>
internal sealed class ResourceMeter(int? postgresPid, int? redisPid, string? botDatabase, int? emulatorPid = null)
{
    public async Task<Snapshot> TakeAsync()
    {
        long? commits = null;
        if (botDatabase is not null)
        {
            // The statistics collector flushes a backend's counters at most once a second.
            await Task.Delay(1100);
            await using var connection = new NpgsqlConnection(botDatabase);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()", connection);
            commits = (long)(await command.ExecuteScalarAsync())!;
        }

        using var self = Process.GetCurrentProcess();
        return new Snapshot(self.TotalProcessorTime.TotalSeconds, CpuSecondsOfTree(postgresPid), CpuSecondsOfTree(redisPid), commits, CpuSecondsOfTree(emulatorPid));
    }

    public static string Describe(Snapshot before, Snapshot after, TimeSpan elapsed, int updates)
    {
        string Per(double seconds) => (seconds * 1000 / updates).ToString("0.00", CultureInfo.InvariantCulture);
        string Share(double seconds) => (100 * seconds / elapsed.TotalSeconds).ToString("0", CultureInfo.InvariantCulture);
        var bot = after.BotCpu - before.BotCpu;
        var text = $"cpu per update: bench process (bot + simulated users) {Per(bot)} ms ({Share(bot)}% of one core)";
        if (after.PostgresCpu is { } pgAfter && before.PostgresCpu is { } pgBefore)
        {
            text += $", postgres {Per(pgAfter - pgBefore)} ms ({Share(pgAfter - pgBefore)}%)";
        }

        if (after.RedisCpu is { } redisAfter && before.RedisCpu is { } redisBefore)
        {
            text += $", redis {Per(redisAfter - redisBefore)} ms ({Share(redisAfter - redisBefore)}%)";
        }

        if (after.EmulatorCpu is { } emulatorAfter && before.EmulatorCpu is { } emulatorBefore)
        {
            text += $", telegram emulator {Per(emulatorAfter - emulatorBefore)} ms ({Share(emulatorAfter - emulatorBefore)}%)";
        }

        if (after.Commits is { } c1 && before.Commits is { } c0)
        {
            // Includes the meter's own query and background jobs; a handful against thousands of updates.
            text += $"; postgres transactions per update {((c1 - c0) / (double)updates).ToString("0.0", CultureInfo.InvariantCulture)}";
        }

        return text;
    }

    /// <summary>utime + stime of a process and its direct children (PostgreSQL's backends are the postmaster's).</summary>
    private static double? CpuSecondsOfTree(int? root)
    {
        if (root is not { } pid || !Directory.Exists($"/proc/{pid}"))
        {
            return null;
        }

        var ticks = 0L;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));

                // Fields after "(comm)": state ppid ... utime (11th) stime (12th).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (candidate == pid || parent == pid)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process exited between listing and reading.
            }
        }

        // USER_HZ is 100 on Linux.
        return ticks / 100.0;
    }

    internal sealed record Snapshot(double BotCpu, double? PostgresCpu, double? RedisCpu, long? Commits, double? EmulatorCpu = null);
}
