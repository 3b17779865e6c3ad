namespace Commons.Federation; internal static class Placeholder {}
