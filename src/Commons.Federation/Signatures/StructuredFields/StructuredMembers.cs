namespace Commons.Federation.Signatures.StructuredFields;

/// <summary>A bare item with its parameters.</summary>
public sealed record StructuredItem(StructuredBareItem Value, IReadOnlyList<StructuredParameter> Parameters)
{
    public string Serialize() => Value.Serialize() + StructuredParameter.SerializeAll(Parameters);
}

/// <summary>An inner list <c>(a b c);p=1</c>.</summary>
public sealed record StructuredInnerList(IReadOnlyList<StructuredItem> Items, IReadOnlyList<StructuredParameter> Parameters)
{
    public string Serialize() =>
        "(" + string.Join(' ', Items.Select(i => i.Serialize())) + ")" + StructuredParameter.SerializeAll(Parameters);
}

/// <summary>A dictionary member: its key and either an item or an inner list.</summary>
public sealed record StructuredDictionaryMember(string Key, StructuredItem? Item, StructuredInnerList? InnerList)
{
    public static StructuredDictionaryMember ForItem(string key, StructuredItem item) => new(key, item, null);

    public static StructuredDictionaryMember ForInnerList(string key, StructuredInnerList list) => new(key, null, list);

    public string Serialize()
    {
        if (InnerList is not null)
        {
            return Key + "=" + InnerList.Serialize();
        }
        var item = Item ?? throw new InvalidOperationException("Dictionary member has neither item nor inner list.");
        return item.Value.Kind == StructuredItemKind.Boolean && item.Value.AsBoolean()
            ? Key + StructuredParameter.SerializeAll(item.Parameters)
            : Key + "=" + item.Serialize();
    }

    public static string SerializeDictionary(IEnumerable<StructuredDictionaryMember> members) =>
        string.Join(", ", members.Select(m => m.Serialize()));
}
