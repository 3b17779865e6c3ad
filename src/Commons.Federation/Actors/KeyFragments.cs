namespace Commons.Federation.Actors;

/// <summary>
/// The fragment ids of an actor's keys by generation. A key id names one key forever: proofs and signatures made
/// before a rotation must keep pointing at the key that made them. The first generation keeps the ids every node
/// published before rotations existed (<c>#main-key</c>, <c>#ed25519-key</c>), so stores and proofs made then stay
/// valid without an upgrade; each later generation gets ids of its own (<c>#main-key-2</c>, <c>#ed25519-key-2</c>, …).
/// </summary>
public static class KeyFragments
{
    public const string FirstRsa = "main-key";
    public const string FirstEd25519 = "ed25519-key";

    public static string Rsa(int generation) => Of(FirstRsa, generation);

    public static string Ed25519(int generation) => Of(FirstEd25519, generation);

    private static string Of(string first, int generation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(generation, 1);
        return generation == 1 ? first : $"{first}-{generation.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
