namespace Commons.Node.Web.Resources;

/// <summary>Marker for the strings of setup, account, members and invitations: MembersText.resx (en), .fr.resx, .nl.resx beside it.</summary>
public sealed class MembersText;
