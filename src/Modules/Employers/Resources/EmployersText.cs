namespace Commons.Modules.Employers.Resources;

/// <summary>Marker for the employers' group's strings: EmployersText.resx (en), EmployersText.fr.resx, EmployersText.nl.resx beside it.</summary>
public sealed class EmployersText;
