using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>
/// Removes time-boxed sale-point assignments once they lapsed, one audited change per user naming the instant.
/// </summary>
internal sealed class SalePointLapses(
    IDocumentStore store,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<SalePointLapses> logger
) : LapseSweeper(store, clock, configuration, logger)
{
    protected override async Task RecordAsync(IDocumentSession session, DateTimeOffset now, CancellationToken ct)
    {
        var due = await session.Query<UserLocations>().Where(u => u.NextLapse <= now).Take(500).ToListAsync(ct);
        if (due.Count == 0)
            return;
        var names = (
            await session.LoadManyAsync<Location>(
                ct,
                due.SelectMany(u => u.State.SalePoints).Select(s => s.SalePointId).Distinct()
            )
        ).ToDictionary(l => l.Id, UserLocationsStore.Label);
        foreach (var user in due)
        {
            var (stream, before) = await UserLocationsStore.OpenAsync(session, user.UserId, user.Version, ct);
            var lapsed = before.SalePoints.Where(s => s.ValidUntil <= now).ToList();
            var words = lapsed.Select(s =>
                $"{names.GetValueOrDefault(s.SalePointId, $"sale point {s.SalePointId}")} lapsed at "
                + $"{Validity.Text(s.ValidUntil!.Value)}"
            );
            UserLocationsStore.Set(
                stream,
                user.UserId,
                lapsed.Max(s => s.ValidUntil!.Value),
                before,
                before with
                {
                    SalePoints = [.. before.SalePoints.Except(lapsed)],
                },
                $"time-boxed assignment ended: {string.Join("; ", words)}"
            );
        }
    }
}
