using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Commons.Node.Tests.Support;

/// <summary>Small request helpers shared by the API tests.</summary>
public static class Api
{
    public static async Task<HttpResponseMessage> Send(this HttpClient client, string method, string path, string? json = null,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null) request.Content = NodeFactory.Json(json);
        configure?.Invoke(request);
        return await client.SendAsync(request);
    }

    public static async Task<JsonObject> GetJson(this HttpClient client, string path) =>
        await NodeFactory.Expect(await client.GetAsync(path), 200);

    public static async Task<JsonObject> CreateRecord(this HttpClient client, string slug, string dataJson, string? id = null)
    {
        var body = new JsonObject { ["data"] = JsonNode.Parse(dataJson) };
        if (id is not null) body["id"] = id;
        return await NodeFactory.Expect(await client.PostAsync($"/api/datasets/{slug}/records", NodeFactory.Json(body)), 201);
    }

    /// <summary>The dataset's record count and last change number, as the API reports them.</summary>
    public static async Task<(long Records, long LastSeq)> Counts(this HttpClient client, string slug)
    {
        var d = await client.GetJson($"/api/datasets/{slug}");
        return ((long)d["records"]!, (long)d["lastSeq"]!);
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);
}
