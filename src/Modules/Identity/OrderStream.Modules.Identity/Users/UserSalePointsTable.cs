using JasperFx.Events;
using Weasel.Postgresql.Tables;

namespace OrderStream.Modules.Identity.Users;

/// <summary>
/// The sale-point filter's own table (ADR 0012): a row per user and sale point with the user's status and sort name, so
/// a sale point's users are counted and paged in name order from one index (ADR 0024). Sale Points' events set a
/// user's rows (<see cref="RecordUserLocations"/>); the user's own events keep status and name current, in the
/// transaction of the change.
/// </summary>
internal sealed class UserSalePointsTable : Marten.Events.Projections.IProjection
{
    public const string Name = IdentityModule.Schema + ".user_sale_points";

    public static Table Define()
    {
        var table = new Table(Name);
        table.AddColumn<string>("tenant_id").AsPrimaryKey();
        table.AddColumn<Guid>("sale_point_id").AsPrimaryKey();
        table.AddColumn<bool>("is_active").AsPrimaryKey();
        table.AddColumn<string>("sort_name").AsPrimaryKey();
        table.AddColumn<Guid>("user_id").AsPrimaryKey();
        table.Indexes.Add(new IndexDefinition("ix_user_sale_points_user") { Columns = ["tenant_id", "user_id"] });
        return table;
    }

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case UserRenamed x:
                    Update(
                        operations,
                        "sort_name",
                        User.SearchKey($"{x.LastName} {x.FirstName}"),
                        e.TenantId,
                        x.UserId
                    );
                    break;
                case UserDeactivated x:
                    Update(operations, "is_active", false, e.TenantId, x.UserId);
                    break;
                case UserReactivated x:
                    Update(operations, "is_active", true, e.TenantId, x.UserId);
                    break;
            }
        }
        return Task.CompletedTask;
    }

    private static void Update(
        IDocumentOperations operations,
        string column,
        object value,
        string tenant,
        Guid userId
    ) =>
        operations.QueueSqlCommand(
            $"update {Name} set {column} = ? where tenant_id = ? and user_id = ?",
            value,
            tenant,
            userId
        );

    /// <summary>
    /// Sets a user's sale points, with status and sort name from the user list's row, which is locked meanwhile so that
    /// a rename or status change committing at the same moment waits and then updates these very rows.
    /// </summary>
    public static void Replace(IDocumentOperations operations, string tenant, Guid userId, Guid[] salePoints)
    {
        operations.QueueSqlCommand($"delete from {Name} where tenant_id = ? and user_id = ?", tenant, userId);
        if (salePoints.Length == 0)
            return;
        operations.QueueSqlCommand(
            $"insert into {Name} (tenant_id, sale_point_id, is_active, sort_name, user_id) "
                + $"select d.tenant_id, s, d.is_active, d.sort_name, d.id from "
                + $"{IdentityModule.Schema}.mt_doc_userlistentry d "
                + "cross join unnest(?::uuid[]) s where d.tenant_id = ? and d.id = ? for share of d",
            salePoints,
            tenant,
            userId
        );
    }
}
