using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace VantaBot.Infrastructure.Persistence.Sqlite;

/// <summary>
/// Makes this process's SQLite writers wait their turn on an asynchronous lock (one per database file, see
/// <see cref="SqliteWriteGates"/>) instead of colliding on SQLite's file lock.
/// </summary>
/// <remarks>
/// <para>Why: a write that finds the database busy is retried by Microsoft.Data.Sqlite after a fixed 150 ms sleep, so
/// with only two concurrent writers every collision cost 150 or 300 ms (docs/benchmarks.md, run 5b: SQLite write p99
/// 155–309 ms against 4–8 ms for reads). SQLite's own busy handler (<c>PRAGMA busy_timeout</c>) was tried instead and
/// made reads slower: it blocks thread-pool threads in growing sleeps. Here a waiting writer holds no thread.</para>
/// <para>What is a write: a transaction (Microsoft.Data.Sqlite begins them <c>IMMEDIATE</c>, taking the write lock
/// at once) from begin to commit, rollback or the connection's close, and any statement outside a transaction that
/// does not start with SELECT (EF's single-statement saves, <c>ExecuteSql</c>, <c>UPDATE … RETURNING</c>) until its
/// reader is disposed. Plain reads are never queued: in WAL mode they do not wait for writers.</para>
/// <para>Safety does not depend on this class: SQLite's file lock still decides who writes. A writer that gets past
/// the gate while another holds the file (another process, or a wait longer than the configured bound) meets the old
/// busy-and-retry path, slower but equally correct. A transaction disposed without commit or rollback on a connection
/// left open releases the gate at that connection's next statement or close.</para>
/// </remarks>
public sealed class SqliteWriteGate(SqliteWriteGates gates, TimeSpan wait, ILogger<SqliteWriteGate>? logger = null)
    : IDbCommandInterceptor, IDbTransactionInterceptor, IDbConnectionInterceptor
{
    private readonly ILogger _logger = logger ?? NullLogger<SqliteWriteGate>.Instance;

    // Keyed by EF's connection id: every event below carries it, while a committed SqliteTransaction no longer knows
    // its connection. One context, hence one connection, is used by one flow at a time, so each key sees its events in
    // order; the dictionary is concurrent for the many connections at once.
    private readonly ConcurrentDictionary<Guid, Hold> _holds = new();

    /// <summary>A held gate; <see cref="Command"/> is the auto-commit statement that took it, null for a transaction.</summary>
    private sealed record Hold(SemaphoreSlim Gate, DbCommand? Command);

    // Transactions: from begin to commit, rollback, failure or the connection's close.

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Enter(connection, eventData.ConnectionId, command: null);
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(connection, eventData.ConnectionId, command: null, cancellationToken);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Leave(eventData.ConnectionId, command: null);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Finished(eventData.ConnectionId, command: null, Task.CompletedTask);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Leave(eventData.ConnectionId, command: null);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Finished(eventData.ConnectionId, command: null, Task.CompletedTask);

    // A failed begin, commit or rollback: letting the next writer in early costs it at most SQLite's busy retry.
    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Leave(eventData.ConnectionId, command: null);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Finished(eventData.ConnectionId, command: null, Task.CompletedTask);

    // Closing the connection ends whatever it held: SQLite rolls back an unfinished transaction on close.

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => LeaveAny(eventData.ConnectionId);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        LeaveAny(eventData.ConnectionId);
        return Task.CompletedTask;
    }

    // Statements outside a transaction: a write holds the gate until it has finished (its reader disposed).

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Gated(command, eventData, result);

    public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        GatedAsync(command, eventData, result, cancellationToken);

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        Gated(command, eventData, result);

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        GatedAsync(command, eventData, result, cancellationToken);

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Gated(command, eventData, result);

    public ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        GatedAsync(command, eventData, result, cancellationToken);

    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result) =>
        Finished(eventData.ConnectionId, command, result);

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) =>
        Finished(eventData.ConnectionId, command, result);

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Finished(eventData.ConnectionId, command, result));

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) =>
        Finished(eventData.ConnectionId, command, result);

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Finished(eventData.ConnectionId, command, result));

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Leave(eventData.ConnectionId, command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Finished(eventData.ConnectionId, command, Task.CompletedTask);

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Leave(eventData.ConnectionId, command);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default) =>
        Finished(eventData.ConnectionId, command, Task.CompletedTask);

    /// <summary>
    /// True unless the statement is a plain SELECT (after leading blanks and EF's <c>--</c> tag lines). Anything else,
    /// a CTE included, is treated as a write: queuing a read costs a little waiting, missing a write costs a busy retry.
    /// </summary>
    public static bool IsWrite(string sql)
    {
        var rest = sql.AsSpan();
        while (true)
        {
            rest = rest.TrimStart();
            if (!rest.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var endOfLine = rest.IndexOf('\n');
            rest = endOfLine < 0 ? [] : rest[(endOfLine + 1)..];
        }

        return !rest.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Takes the gate first when the statement needs it; the interception result passes through unchanged.</summary>
    private T Gated<T>(DbCommand command, CommandEventData eventData, T result)
    {
        if (NeedsGate(command, eventData))
        {
            Enter(eventData.Connection, eventData.ConnectionId, command);
        }

        return result;
    }

    private async ValueTask<T> GatedAsync<T>(DbCommand command, CommandEventData eventData, T result, CancellationToken cancellationToken)
    {
        if (NeedsGate(command, eventData))
        {
            await EnterAsync(eventData.Connection, eventData.ConnectionId, command, cancellationToken);
        }

        return result;
    }

    private bool NeedsGate(DbCommand command, CommandEventData eventData)
    {
        if (_holds.TryGetValue(eventData.ConnectionId, out var hold))
        {
            if (hold.Command is not null || command.Transaction is not null)
            {
                // A statement of the transaction (or of the statement) that holds the gate.
                return false;
            }

            // The transaction that took the gate was disposed without commit or rollback and the connection stayed open.
            LeaveAny(eventData.ConnectionId);
        }

        // Inside a transaction that began without the gate (the wait timed out): SQLite's lock already decided.
        return command.Transaction is null && IsWrite(command.CommandText);
    }

    private void Enter(DbConnection connection, Guid connectionId, DbCommand? command)
    {
        if (GateToEnter(connection, connectionId) is { } gate)
        {
            Entered(connectionId, gate, command, gate.Wait(wait));
        }
    }

    private async ValueTask EnterAsync(DbConnection connection, Guid connectionId, DbCommand? command, CancellationToken cancellationToken)
    {
        if (GateToEnter(connection, connectionId) is { } gate)
        {
            Entered(connectionId, gate, command, await gate.WaitAsync(wait, cancellationToken));
        }
    }

    /// <summary>The file's gate, unless this connection holds it already or its database needs none.</summary>
    private SemaphoreSlim? GateToEnter(DbConnection connection, Guid connectionId) =>
        _holds.ContainsKey(connectionId) ? null : gates.For(connection);

    private void Entered(Guid connectionId, SemaphoreSlim gate, DbCommand? command, bool acquired)
    {
        if (acquired)
        {
            _holds[connectionId] = new Hold(gate, command);
        }
        else
        {
            _logger.LogWarning("SQLite writers have queued for longer than {Wait}; this write goes straight to SQLite's own busy retry", wait);
        }
    }

    /// <summary>Leaves the gate if <paramref name="command"/> (or, when null, a transaction) holds it; passes the result on.</summary>
    private T Finished<T>(Guid connectionId, DbCommand? command, T result)
    {
        Leave(connectionId, command);
        return result;
    }

    private void Leave(Guid connectionId, DbCommand? command)
    {
        if (_holds.TryGetValue(connectionId, out var hold) && ReferenceEquals(hold.Command, command))
        {
            LeaveAny(connectionId);
        }
    }

    private void LeaveAny(Guid connectionId)
    {
        if (_holds.TryRemove(connectionId, out var hold))
        {
            hold.Gate.Release();
        }
    }
}
