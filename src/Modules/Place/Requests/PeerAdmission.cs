using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Federation;

namespace Commons.Modules.Place.Requests;

/// <summary>
/// Which peers may ask the place for something: those the resources dataset already shares with — an accepted
/// follower of it, or a node on its allow-list. A node that merely can see a public dataset has not joined the place.
/// </summary>
public sealed class PeerAdmission(IFollowerStore followers)
{
    public bool Admits(IncomingRequest request)
    {
        var dataset = request.Dataset;
        if (dataset.Policy == SharingPolicy.Private) return false;
        if (dataset.AllowedPeers.Contains(request.RequesterHost, StringComparer.OrdinalIgnoreCase)) return true;
        return followers.Find(dataset.Slug, request.RequesterActor) is { State: FollowerState.Accepted };
    }
}
