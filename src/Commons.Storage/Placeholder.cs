namespace Commons.Storage; internal static class Placeholder {}
