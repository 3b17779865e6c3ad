namespace Commons.Modules.Committee.Resources;

/// <summary>Marker for the committee's strings: CommitteeText.resx (en), CommitteeText.fr.resx, CommitteeText.nl.resx beside it.</summary>
public sealed class CommitteeText;
