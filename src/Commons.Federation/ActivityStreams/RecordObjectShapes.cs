using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Records;

namespace Commons.Federation.ActivityStreams;

/// <summary>The modules' <see cref="IRecordObjectShape"/>s by kind; a kind without one publishes the plain Note.</summary>
public sealed class RecordObjectShapes
{
    public static readonly RecordObjectShapes None = new([]);

    private readonly Dictionary<string, IRecordObjectShape> _byKind;

    public RecordObjectShapes(IEnumerable<IRecordObjectShape> shapes)
    {
        _byKind = new Dictionary<string, IRecordObjectShape>(StringComparer.Ordinal);
        foreach (var shape in shapes)
            if (!_byKind.TryAdd(shape.Kind, shape))
                throw new InvalidOperationException($"two object shapes for kind '{shape.Kind}'");
    }

    /// <summary>The object types a shape may give (besides Note), for the inbox that takes record changes.</summary>
    public static readonly IReadOnlyList<string> ShapedTypes = ["Question"];

    public void Apply(Dataset dataset, Record record, JsonObject published)
    {
        if (!_byKind.TryGetValue(dataset.Kind, out var shape)) return;
        var (id, attributedTo, revision) = (published["id"]?.DeepClone(), published["attributedTo"]?.DeepClone(), published[ActivityStreamsContext.Revision]?.DeepClone());
        var (to, cc, data) = (published["to"]?.DeepClone(), published["cc"]?.DeepClone(), published[ActivityStreamsContext.Data]?.DeepClone());
        shape.Shape(dataset, record, published);
        // What replicas and addressing rely on is the platform's, whatever the shape did.
        published["id"] = id;
        published["attributedTo"] = attributedTo;
        published[ActivityStreamsContext.Revision] = revision;
        published[ActivityStreamsContext.Data] = data;
        published["to"] = to;
        if (cc is null) published.Remove("cc");
        else published["cc"] = cc;
        if (published["type"]?.GetValue<string>() is not { } type || (type != "Note" && !ShapedTypes.Contains(type)))
            throw new InvalidOperationException($"the shape of kind '{dataset.Kind}' gave an object of type '{published["type"]}'");
    }
}
