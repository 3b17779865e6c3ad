using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Records;

namespace Commons.Core.Federation;

/// <summary>
/// How the records of one kind look to ActivityStreams readers when the platform's <c>Note</c> says too little (a
/// committee's proposal is a poll: a <c>Question</c> Mastodon can show). The platform builds the record's object — the
/// same for delivery to followers, backfill and a fetch at its id, each admitted by the dataset's policy — and hands it
/// here to reshape in place before it is signed. A shape keeps <c>id</c>, <c>attributedTo</c>, the addressing,
/// <c>commons:data</c> and <c>commons:revision</c> (replicas read them), and adds nothing the dataset's followers may not
/// read. Registered by modules as services; at most one per kind.
/// </summary>
public interface IRecordObjectShape
{
    /// <summary>The kind whose records it shapes (<c>committee.proposals</c>).</summary>
    string Kind { get; }

    /// <summary>Reshapes <paramref name="published"/>, the object of live, shared <paramref name="record"/> (its data already without the dataset's excluded fields).</summary>
    void Shape(Dataset dataset, Record record, JsonObject published);
}
