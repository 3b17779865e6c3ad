using Microsoft.AspNetCore.Http.Metadata;

namespace Commons.Node;

/// <summary>
/// The node's <c>[FromServices]</c>: this endpoint parameter comes from the node's services, whatever its type looks like
/// (<c>ActivityUris</c> has a static TryParse, which would otherwise make it a query value). It says what MVC's
/// <c>Microsoft.AspNetCore.Mvc.FromServicesAttribute</c> says to minimal APIs and the OpenAPI description
/// (<see cref="IFromServiceMetadata"/>), without loading MVC (Mvc.Core and Mvc.Abstractions, ~1.5 MiB resident, issue 17
/// idle memory) when the routes are built. Declared in <c>Commons.Node</c>, so <c>[FromServices]</c> in any
/// <c>Commons.Node.*</c> file names this one even where that file imports <c>Microsoft.AspNetCore.Mvc</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
public sealed class FromServicesAttribute : Attribute, IFromServiceMetadata;
