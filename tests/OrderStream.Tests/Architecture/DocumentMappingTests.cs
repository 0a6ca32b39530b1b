using Npgsql;
using OrderStream.BuildingBlocks.Persistence;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Architecture;

/// <summary>
/// Every document table a module creates is tenanted and lives in its module's schema (ADRs 0003, 0004).
/// </summary>
public sealed class DocumentMappingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Module_document_tables_are_tenanted_and_in_their_modules_schema()
    {
        await api.CreateTenantAsync(); // starts the host, which applies the schema
        var modules = OrderStream
            .Host.Modules.Assemblies.Select(a => a.GetName().Name!.Split('.').Last().ToLowerInvariant())
            .ToHashSet();
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            select t.table_schema, t.table_name,
                   exists (select 1 from information_schema.columns c
                           where c.table_schema = t.table_schema and c.table_name = t.table_name
                             and c.column_name = 'tenant_id')
            from information_schema.tables t
            where t.table_name like 'mt_doc_%' and t.table_schema <> 'pg_catalog'
            """,
            connection
        );
        var tables = new List<(string Schema, string Table, bool Tenanted)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));

        Assert.Contains(tables, t => t.Table == "mt_doc_user");
        foreach (var (schema, table, tenanted) in tables)
        {
            // The platform's own documents, and Marten's beside its event store, are not a module's.
            if (schema is MartenSetup.PlatformSchema or MartenSetup.EventsSchema)
                continue;
            Assert.True(modules.Contains(schema), $"{schema}.{table} is in no module's schema");
            Assert.True(tenanted, $"{schema}.{table} has no tenant_id");
        }
        Assert.Equal(
            ["mt_doc_tenant", "mt_doc_undeliveredintegrationevent"],
            tables.Where(t => t.Schema == MartenSetup.PlatformSchema).Select(t => t.Table).Order()
        );
    }
}
