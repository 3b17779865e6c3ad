using System.Text;
using System.Text.Json;
using Commons.Federation.Signatures.Messages;

namespace Commons.Federation.Tests.Support;

/// <summary>Builds the test request/response described in a vectors.json file.</summary>
internal static class VectorMessages
{
    public static SignableHttpMessage Request(JsonElement vectors, string scheme = "https")
    {
        var request = vectors.GetProperty("request");
        var headers = Headers(request.GetProperty("headers"));
        var uri = new Uri($"{scheme}://{headers.GetCombinedValue("Host")}{request.GetProperty("target").GetString()}");
        return SignableHttpMessage.ForRequest(request.GetProperty("method").GetString()!, uri, headers, Body(request));
    }

    public static SignableHttpMessage Response(JsonElement vectors)
    {
        var response = vectors.GetProperty("response");
        return SignableHttpMessage.ForResponse(response.GetProperty("status").GetInt32(), Headers(response.GetProperty("headers")), Body(response));
    }

    public static HttpHeaderMultiMap Headers(JsonElement headers)
    {
        var map = new HttpHeaderMultiMap();
        foreach (var header in headers.EnumerateObject())
        {
            map.Add(header.Name, header.Value.GetString()!);
        }
        return map;
    }

    private static byte[] Body(JsonElement message) => Encoding.UTF8.GetBytes(message.GetProperty("body").GetString()!);
}
