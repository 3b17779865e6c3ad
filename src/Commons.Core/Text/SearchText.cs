using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Commons.Core.Text;

/// <summary>Folds text for accent- and case-insensitive search: "École" and "ecole" fold to the same string.</summary>
/// <remarks>
/// Every record write folds its body, so the folding works in pooled buffers and makes one string, the result: the
/// body's strings are copied out of its UTF-8 by a reader, not made into strings one by one.
/// </remarks>
public static class SearchText
{
    public static string Fold(string text) => Fold(text.AsSpan());

    /// <summary>Decomposed (NFD), marks dropped, lower-cased letter by letter (invariant), composed again (NFC).</summary>
    public static string Fold(ReadOnlySpan<char> text)
    {
        // ASCII has no marks and is its own NFD and NFC: lower-casing is the whole fold.
        if (Ascii.IsValid(text))
        {
            return string.Create(text.Length, text, static (destination, source) => Ascii.ToLower(source, destination, out _));
        }
        var decomposed = Normalized(text, NormalizationForm.FormD);
        var kept = 0;
        var span = decomposed.Span;
        foreach (var c in span)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
                continue;
            span[kept++] = char.ToLowerInvariant(c);
        }
        var composed = Normalized(span[..kept], NormalizationForm.FormC);
        try { return new string(composed.Span); }
        finally
        {
            composed.Dispose();
            decomposed.Dispose();
        }
    }

    private static PooledChars Normalized(ReadOnlySpan<char> text, NormalizationForm form)
    {
        var buffer = new PooledChars(text.Length * 2 + 16);
        if (text.TryNormalize(buffer.Array, out var written, form)) return buffer.Sliced(written);
        buffer.Dispose();
        var exact = new PooledChars(text.GetNormalizedLength(form));
        if (!text.TryNormalize(exact.Array, out written, form)) throw new InvalidOperationException("normalisation did not fit its own length");
        return exact.Sliced(written);
    }

    /// <summary>Every string value of a JSON document, folded, separated by a newline (so terms never run across values).</summary>
    public static string FromJson(JsonElement element)
    {
        if (element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.String)) return "";
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(element),
            new JsonReaderOptions { MaxDepth = int.MaxValue / 2, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        // Unescaping never lengthens (a byte or an escape gives at most one UTF-16 unit), so the raw length bounds the text.
        var collected = new PooledChars(JsonMarshal.GetRawUtf8Value(element).Length + 1);
        try
        {
            var length = 0;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.String) continue;
                length += reader.CopyString(collected.Array.AsSpan(length));
                collected.Array[length++] = '\n';
            }
            return Fold(collected.Array.AsSpan(0, length));
        }
        finally { collected.Dispose(); }
    }

    /// <summary>A rented char array and how much of it is in use.</summary>
    private readonly struct PooledChars : IDisposable
    {
        private readonly int _length;

        public PooledChars(int minimumLength) => Array = ArrayPool<char>.Shared.Rent(Math.Max(minimumLength, 1));

        private PooledChars(char[] array, int length)
        {
            Array = array;
            _length = length;
        }

        public char[] Array { get; }
        public Span<char> Span => Array.AsSpan(0, _length);

        public PooledChars Sliced(int length) => new(Array, length);

        public void Dispose() => ArrayPool<char>.Shared.Return(Array);
    }
}
