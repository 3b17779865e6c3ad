using Microsoft.AspNetCore.Http.Metadata;

namespace Commons.Platform;

/// <summary>
/// <c>[FromServices]</c> for the node's and every module's endpoints: this parameter comes from the services, whatever
/// its type looks like (a type with a static TryParse, such as the federation's <c>ActivityUris</c>, would otherwise be
/// read from the query). It tells minimal APIs and the OpenAPI description what MVC's
/// <c>Microsoft.AspNetCore.Mvc.FromServicesAttribute</c> tells them (<see cref="IFromServiceMetadata"/>), without loading
/// MVC (Mvc.Core and Mvc.Abstractions, ~1.5 MiB resident, issue 17 idle memory) when a route table is built. A file that
/// imports both <c>Commons.Platform</c> and <c>Microsoft.AspNetCore.Mvc</c> gets an ambiguity error, not MVC's quietly:
/// endpoint files import neither MVC nor its attributes (their <c>Microsoft.AspNetCore.Http</c> equivalents cover them).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
public sealed class FromServicesAttribute : Attribute, IFromServiceMetadata;
