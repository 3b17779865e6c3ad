using System.Security.Cryptography;
using System.Text;
using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Node.Hosting;
using Microsoft.Extensions.Options;

namespace Commons.Node.Web.Members;

/// <summary>
/// The first run of a node served without a configured administrator password: a random setup code, printed once
/// as a link and kept in <c>{DataDirectory}/run/setup-code</c> (0600), opens the setup page once. Only its SHA-256
/// hash stays in memory; the code is compared in constant time and dies with the first administrator's creation.
/// </summary>
public sealed class FirstRunSetup(IMemberStore members, MemberService memberService, NodeBootstrap bootstrap, IOptions<NodeOptions> options)
{
    private readonly Lock _gate = new();
    private byte[]? _codeHash;
    private volatile bool _done;

    public string CodeFile => Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "run", "setup-code");

    /// <summary>True while the node has no member and a setup code is out.</summary>
    public bool IsPending
    {
        get
        {
            if (_done || Volatile.Read(ref _codeHash) is null) return false;
            if (members.Count() == 0) return true;
            Finish(); // an administrator came another way (the command line through the admin socket)
            return false;
        }
    }

    /// <summary>Issues a new setup code (a previous one stops working) and writes it to <see cref="CodeFile"/>.</summary>
    public string Open()
    {
        var code = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CodeFile)!);
            if (File.Exists(CodeFile)) File.Delete(CodeFile);
            var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(CodeFile, Encoding.ASCII, file)) writer.WriteLine(code);
            Volatile.Write(ref _codeHash, SHA256.HashData(Encoding.UTF8.GetBytes(code)));
            _done = false;
        }
        return code;
    }

    /// <summary>
    /// Checks the code, then names the node and creates its administrator through <see cref="MemberService"/> (its
    /// rules); nothing changes when anything fails, and the code works only for the first success.
    /// </summary>
    public Member Complete(string? code, string? nodeName, string? username, string? password)
    {
        lock (_gate)
        {
            if (!IsPending) throw new NotFoundException("this node is already set up");
            if (!Matches(code)) throw new SetupCodeException();
            var name = NodeBootstrap.CheckName(nodeName);
            var admin = memberService.Register(username ?? "", null, password ?? "", MemberRole.Admin);
            bootstrap.Rename(name);
            Finish();
            return admin;
        }
    }

    private bool Matches(string? code)
    {
        var expected = Volatile.Read(ref _codeHash);
        if (expected is null || string.IsNullOrEmpty(code)) return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim())), expected);
    }

    private void Finish()
    {
        lock (_gate)
        {
            _done = true;
            Volatile.Write(ref _codeHash, null);
            try { if (File.Exists(CodeFile)) File.Delete(CodeFile); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>The setup code is missing or wrong.</summary>
public sealed class SetupCodeException() : CommonsException(ProblemCodes.SetupCodeInvalid, "Forbidden", "the setup code is missing or wrong");
