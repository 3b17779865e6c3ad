using System.Buffers;
using System.Security.Cryptography;
using Commons.Core.Store;
using LiteDB;
using MessagePack;

namespace Commons.Storage;

/// <summary>
/// Backup files: MessagePack, versioned, with a SHA-256 checksum at the end.
/// Layout: a header map {format, version, createdAt, node}, then per collection an array [name, count] followed by
/// count BSON documents as MessagePack binaries (BSON keeps every LiteDB value exactly, keys, hashes and node keys
/// included), then an empty-name end marker, then the checksum of everything before it as a 32-byte binary.
/// </summary>
public static class Backup
{
    public const string Format = "commons-node-backup";
    public const int Version = 1;
    private const int TrailerLength = 2 + 32; // bin8 header (0xc4, 32) and the digest

    /// <summary>Writes a consistent snapshot of the whole store to <paramref name="path"/> while the node keeps serving.</summary>
    public static BackupSummary Write(CommonsDatabase database, string path, string nodeName, DateTimeOffset now)
    {
        var temp = path + ".partial";
        long documents = 0;
        var collections = 0;
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new ArrayBufferWriter<byte>(1 << 16);
            void Flush()
            {
                hash.AppendData(buffer.WrittenSpan);
                file.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }

            var w = new MessagePackWriter(buffer);
            w.WriteMapHeader(4);
            w.Write("format"); w.Write(Format);
            w.Write("version"); w.Write(Version);
            w.Write("createdAt"); w.Write(now.ToString("O"));
            w.Write("node"); w.Write(nodeName);
            w.Flush();
            Flush();

            using (var snapshot = database.BeginSnapshot())
            {
                foreach (var name in snapshot.Collections.Order(StringComparer.Ordinal).ToList())
                {
                    var col = database.Db.GetCollection(name);
                    var count = col.LongCount();
                    w = new MessagePackWriter(buffer);
                    w.WriteArrayHeader(2); w.Write(name); w.Write(count);
                    w.Flush();
                    long written = 0;
                    foreach (var doc in col.FindAll())
                    {
                        w = new MessagePackWriter(buffer);
                        w.Write(BsonSerializer.Serialize(doc));
                        w.Flush();
                        if (buffer.WrittenCount > 1 << 16) Flush();
                        written++;
                    }
                    if (written != count) throw new InvalidOperationException($"collection {name} changed during the snapshot");
                    documents += written;
                    collections++;
                }
            }

            w = new MessagePackWriter(buffer);
            w.WriteArrayHeader(2); w.Write(""); w.Write(0);
            w.Flush();
            Flush();
            var digest = hash.GetHashAndReset();
            w = new MessagePackWriter(buffer);
            w.Write(digest);
            w.Flush();
            file.Write(buffer.WrittenSpan);
            file.Flush(true);
        }
        File.Move(temp, path, overwrite: true);
        return new BackupSummary(nodeName, now, collections, documents);
    }

    /// <summary>Reads and checks a backup file completely; nothing is written. Throws <see cref="BackupFileException"/>.</summary>
    public static (BackupSummary Summary, List<(string Collection, List<BsonDocument> Documents)> Content) Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new BackupFileException($"cannot read {path}: {e.Message}"); }
        if (bytes.Length < TrailerLength + 8) throw new BackupFileException($"{path} is not a Commons Node backup (too short)");
        var payloadLength = bytes.Length - TrailerLength;
        if (bytes[payloadLength] != 0xc4 || bytes[payloadLength + 1] != 32)
            throw new BackupFileException($"{path} is not a Commons Node backup (no checksum at its end)");
        var expected = SHA256.HashData(bytes.AsSpan(0, payloadLength));
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(payloadLength + 2, 32)))
            throw new BackupFileException($"{path} fails its checksum: the file is damaged or was changed");

        try
        {
            var r = new MessagePackReader(new ReadOnlyMemory<byte>(bytes, 0, payloadLength));
            var header = new Dictionary<string, string>();
            var fields = r.ReadMapHeader();
            for (var i = 0; i < fields; i++)
            {
                var key = r.ReadString() ?? "";
                header[key] = r.NextMessagePackType == MessagePackType.Integer ? r.ReadInt32().ToString() : r.ReadString() ?? "";
            }
            if (header.GetValueOrDefault("format") != Format) throw new BackupFileException($"{path} is not a Commons Node backup");
            if (header.GetValueOrDefault("version") != Version.ToString())
                throw new BackupFileException($"{path} is backup format version {header.GetValueOrDefault("version")}; this node reads version {Version}");

            var content = new List<(string, List<BsonDocument>)>();
            long documents = 0;
            while (true)
            {
                if (r.ReadArrayHeader() != 2) throw new BackupFileException($"{path} is damaged (bad section)");
                var name = r.ReadString() ?? "";
                var count = r.ReadInt64();
                if (name.Length == 0) break;
                var docs = new List<BsonDocument>((int)Math.Min(count, 1_000_000));
                for (long i = 0; i < count; i++)
                {
                    var bin = r.ReadBytes() ?? throw new BackupFileException($"{path} is damaged (missing document)");
                    docs.Add(BsonSerializer.Deserialize(bin.ToArray()));
                }
                documents += count;
                content.Add((name, docs));
            }
            if (!r.End) throw new BackupFileException($"{path} is damaged (data after the end marker)");
            var created = DateTimeOffset.Parse(header.GetValueOrDefault("createdAt") ?? "", System.Globalization.CultureInfo.InvariantCulture);
            return (new BackupSummary(header.GetValueOrDefault("node") ?? "", created, content.Count, documents), content);
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or LiteException or FormatException or InvalidOperationException)
        {
            throw new BackupFileException($"{path} is damaged: {e.Message}");
        }
    }

    /// <summary>
    /// Restores a checked backup into <paramref name="dataDirectory"/>. The store is built beside the live file and
    /// moved into place only when complete; an existing store is kept as <c>commons.db.before-restore-*</c>, never deleted.
    /// </summary>
    public static BackupSummary Restore(string path, string dataDirectory, bool replaceExisting, DateTimeOffset now)
    {
        var (summary, content) = Read(path);
        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var live = Path.Combine(dataDirectory, CommonsDatabase.FileName);
        if (File.Exists(live) && !replaceExisting)
            throw new BackupFileException($"{live} exists; pass --force to replace it (the current store is kept beside it)");

        var staging = Path.Combine(dataDirectory, "restore-" + now.ToUnixTimeMilliseconds());
        Directory.CreateDirectory(staging);
        try
        {
            using (var db = CommonsDatabase.Open(staging))
            {
                db.Write(() =>
                {
                    // The staging store starts at this release's layout version; the restored store keeps the backup's
                    // (none for a backup made before versions), so the next open migrates it like any older store.
                    db.Db.GetCollection(StoreMigrations.MetaCollection).Delete(StoreMigrations.LayoutDocumentId);
                    foreach (var (collection, docs) in content)
                        if (docs.Count > 0) db.Db.GetCollection(collection).InsertBulk(docs);
                });
                db.Read(() => db.Db.Checkpoint());
            }
            using var lockFile = new FileStream(Path.Combine(dataDirectory, CommonsDatabase.LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            if (File.Exists(live)) File.Move(live, $"{live}.before-restore-{now:yyyyMMddHHmmss}");
            var liveLog = Path.Combine(dataDirectory, "commons-log.db");
            if (File.Exists(liveLog)) File.Move(liveLog, $"{liveLog}.before-restore-{now:yyyyMMddHHmmss}");
            File.Move(Path.Combine(staging, CommonsDatabase.FileName), live);
            return summary;
        }
        catch (IOException e) when (e is not BackupFileException)
        {
            throw new BackupFileException($"cannot restore into {dataDirectory}: {e.Message} (is the node running?)");
        }
        finally
        {
            try { Directory.Delete(staging, recursive: true); } catch (IOException) { }
        }
    }
}
