using Commons.Core.Errors;
using Commons.Node.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace Commons.Node.Tests;

/// <summary>
/// Outside Development too, a query value that does not bind to its parameter's type is a problem that names the
/// parameter (the framework's own answer there is a bare 400, which the problem document could only call "Bad request").
/// </summary>
public sealed class ProductionBindingErrorTests(ProductionBindingErrorTests.ProductionNode node) : IClassFixture<ProductionBindingErrorTests.ProductionNode>
{
    public sealed class ProductionNode : NodeFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(Environments.Production);
        }
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("2147483648")]
    public async Task A_limit_that_is_no_number_is_the_problem_development_gives_naming_the_parameter(string limit)
    {
        Assert.True(node.Service<IHostEnvironment>().IsProduction());
        var slug = await node.CreateDatasetAsync();
        using var admin = await node.AdminAsync();
        // The changes endpoint's limit is bound by the framework (the records listing parses its own, in every environment).
        var problem = await NodeFactory.ExpectProblem(await admin.GetAsync($"/api/datasets/{slug}/changes?limit={limit}"), 400);
        Assert.Contains("limit", (string?)problem["detail"]);
        Assert.Equal(ProblemCodes.BadRequest, (string?)problem["code"]); // as in Development
    }
}
