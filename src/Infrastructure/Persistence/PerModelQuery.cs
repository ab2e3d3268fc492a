using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// An EF Core compiled query (<see cref="EF.CompileAsyncQuery{TContext, TResult}(System.Linq.Expressions.Expression{Func{TContext, TResult}})"/>)
/// for each model it meets. A query on the per-update hot path pays, uncompiled, for building its expression tree,
/// the funcletizer's walk over it and the query-cache key's hash and comparison on every execution; compiled, it
/// runs the cached executor with its parameters straight away. EF binds a compiled query to the first model it runs
/// against and throws for any other, while one process may host several (the tests run SQLite and PostgreSQL hosts
/// side by side), so each model gets its own, compiled on first use and dropped with the model.
/// </summary>
/// <typeparam name="TQuery">The delegate <c>EF.CompileAsyncQuery</c> returns.</typeparam>
internal sealed class PerModelQuery<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();

    // Held once, so a lookup of a known model allocates nothing.
    private readonly ConditionalWeakTable<IModel, TQuery>.CreateValueCallback _create = _ => compile();

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _create);
}
