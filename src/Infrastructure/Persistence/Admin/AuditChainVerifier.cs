using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>One broken link: the row where the chain stops holding, and why.</summary>
public sealed record AuditProblem(long? RowId, string Description);

public sealed record AuditVerification(long RowsChecked, AuditHead? Head, IReadOnlyList<AuditProblem> Problems)
{
    public bool IsIntact => Problems.Count == 0;
}

/// <summary>
/// Re-computes every row's hash in id order and checks each row names its predecessor's hash, then checks the
/// last row against the head anchor. An edited row fails its own hash; a deleted row breaks the next row's link;
/// rows deleted from the end no longer match the head.
/// </summary>
public sealed class AuditChainVerifier(VantaBotDbContext db)
{
    private const int MaxProblems = 50;

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var problems = new List<AuditProblem>();
        var previousHash = "";
        long? previousId = null;
        long count = 0;
        await foreach (var row in db.Set<AuditLogEntity>().AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (AuditLog.ComputeHash(row) != row.Hash)
            {
                Add(problems, new AuditProblem(row.Id, $"row {row.Id} was edited: its content no longer matches its hash"));
            }

            if (row.PreviousHash != previousHash)
            {
                var after = previousId is { } id ? $"row {id}" : "the start of the log";
                Add(problems, new AuditProblem(row.Id, $"row {row.Id} does not follow {after}: a row between them was deleted, or a hash was rewritten"));
            }

            previousHash = row.Hash;
            previousId = row.Id;
        }

        var headValue = await db.Set<SystemSettingEntity>().AsNoTracking().Where(s => s.Key == AuditHead.SettingKey).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken);
        var head = AuditHead.Parse(headValue);
        if (headValue is not null && head is null)
        {
            Add(problems, new AuditProblem(null, "the head anchor is unreadable"));
        }
        else if (head is null && count > 0)
        {
            Add(problems, new AuditProblem(null, "the head anchor is missing although the log has rows"));
        }
        else if (head is not null && (head.Id != previousId || head.Hash != previousHash))
        {
            var last = previousId is { } id ? $"row {id}" : "no row at all";
            Add(problems, new AuditProblem(head.Id, $"the log ends at {last} but its head anchor names row {head.Id}: rows were deleted from the end"));
        }

        return new AuditVerification(count, head, problems);
    }

    private static void Add(List<AuditProblem> problems, AuditProblem problem)
    {
        if (problems.Count < MaxProblems)
        {
            problems.Add(problem);
        }
    }
}
