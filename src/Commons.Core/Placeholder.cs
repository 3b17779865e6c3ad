namespace Commons.Core; internal static class Placeholder {}
