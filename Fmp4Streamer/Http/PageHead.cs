namespace Fmp4Streamer.Http;

/// <summary>The head lines both pages share: what "Add to Home Screen" on iOS and Android reads.</summary>
public static class PageHead
{
    public const string HomeScreen = """
        <link rel="manifest" href="manifest.json" crossorigin="use-credentials">
        <meta name="theme-color" content="#303030">
        <meta name="mobile-web-app-capable" content="yes">
        <meta name="apple-mobile-web-app-capable" content="yes">
        <meta name="apple-mobile-web-app-status-bar-style" content="default">
        <meta name="apple-mobile-web-app-title" content="Fmp4streamer">
        <link rel="apple-touch-icon" href="apple-touch-icon.png">
        <link rel="icon" type="image/png" href="logo.png">

        """;
}
