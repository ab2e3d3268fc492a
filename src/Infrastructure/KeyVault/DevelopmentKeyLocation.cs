using Microsoft.Data.Sqlite;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Infrastructure.KeyVault;

/// <summary>Where the embedded default keeps its development master key: next to the SQLite file, else the working directory.</summary>
public static class DevelopmentKeyLocation
{
    public static string DirectoryFor(DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return Directory.GetCurrentDirectory();
        }

        var dataSource = new SqliteConnectionStringBuilder(database.EffectiveConnectionString).DataSource;
        if (string.IsNullOrWhiteSpace(dataSource) || dataSource.StartsWith(':') || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return Directory.GetCurrentDirectory();
        }

        return Path.GetDirectoryName(Path.GetFullPath(dataSource)) ?? Directory.GetCurrentDirectory();
    }
}
