using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// Runs a hand-written statement and reads its rows by hand, through the same EF command path as
/// <c>ExecuteSqlAsync</c>: the context's connection and current transaction, its interceptors (the SQLite writer
/// queue), its command logging. For the few statements an order runs whose rows are a few plain columns. What
/// <c>FromSql</c>/<c>SqlQuery</c> add on top — an expression tree, the query cache's key, and an executor that binds
/// its delegates anew on every run (System.Linq.Expressions compiles the shaper as a nested lambda) — cost more CPU
/// than the statement's round trip here (docs/benchmarks.md, run 7).
/// </summary>
internal static class RawRows
{
    /// <param name="sql">Interpolated values become parameters, as with <c>ExecuteSqlAsync</c>.</param>
    /// <param name="read">Reads the current row; columns by position, in the statement's order.</param>
    public static async Task<List<T>> ReadAsync<T>(DbContext db, FormattableString sql, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var command = db.GetService<IRawSqlCommandBuilder>().Build(sql.Format, sql.GetArguments(), db.Model);
        var parameters = new RelationalCommandParameterObject(
            db.GetService<IRelationalConnection>(),
            command.ParameterValues,
            readerColumns: null,
            db,
            db.GetService<IRelationalCommandDiagnosticsLogger>(),
            CommandSource.FromSqlQuery);
        await using var reader = await command.RelationalCommand.ExecuteReaderAsync(parameters, cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader.DbDataReader));
        }

        return rows;
    }
}
