namespace Commons.Node.Web.Datasets;

/// <summary>A member's role on a dataset, as the grant forms post it (add, remove).</summary>
public sealed class GrantForm
{
    public string? Username { get; set; }
    public string? Role { get; set; }
}

/// <summary>The roles of every member with a grant, as the grants table posts them.</summary>
public sealed class GrantRolesForm
{
    public List<GrantForm> Items { get; set; } = [];
}

/// <summary>The confirmation of a dataset's deletion: the slug typed again.</summary>
public sealed class DeleteForm
{
    public string? Slug { get; set; }
}
