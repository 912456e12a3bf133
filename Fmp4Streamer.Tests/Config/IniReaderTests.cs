using Fmp4Streamer.Config;

namespace Fmp4Streamer.Tests.Config;

public class IniReaderTests
{
    /// <summary>Sections rendered as "[name]@line key=value@line ..." so one string pins the whole parse.</summary>
    private static string Dump(IniDocument document)
    {
        var parts = new List<string>();
        foreach (IniSection section in document.Sections)
        {
            parts.Add($"[{section.Name}]@{section.Location.Line}");
            foreach (ConfigEntry entry in section.Entries)
                parts.Add($"{entry.Key}={entry.Value.Replace("\n", "\\n")}@{entry.Location.Line}");
        }
        return string.Join(" ", parts);
    }

    private static IEnumerable<TestCaseData> ValidCases()
    {
        yield return new TestCaseData("[server]\nlisten =\nport = 8000\n", "[server]@1 listen=@2 port=8000@3")
            .SetName("EmptyValueAndNumber");
        yield return new TestCaseData("# c1\n; c2\n[s]\n  # indented comment\nk = v\n", "[s]@3 k=v@5")
            .SetName("FullLineComments");
        yield return new TestCaseData("[s]\nk = v # not a comment\n", "[s]@1 k=v # not a comment@2")
            .SetName("NoInlineComments");
        yield return new TestCaseData("[s]\nk: v\nj : w = x\n", "[s]@1 k=v@2 j=w = x@3")
            .SetName("ColonSeparatorAndFirstSeparatorSplits");
        yield return new TestCaseData("[s]\nk=a:b\n", "[s]@1 k=a:b@2").SetName("EqualsBeforeColon");
        yield return new TestCaseData("[s]\nWidth = 1\nH264_Level = 4.2\n", "[s]@1 width=1@2 h264_level=4.2@3")
            .SetName("KeysLowerCased");
        yield return new TestCaseData("[Server]\n[server]\n", "[Server]@1 [server]@2")
            .SetName("SectionNamesCaseSensitive");
        yield return new TestCaseData("[s]\nk = first\n  second\n\n  # comment\n\tthird\nj = 1\n",
                "[s]@1 k=first\\nsecond\\n\\nthird@2 j=1@7")
            .SetName("ContinuationLinesKeepBlankLinesSkipComments");
        yield return new TestCaseData("[s]\nk = v\n\n\n", "[s]@1 k=v@2").SetName("TrailingBlankLinesStripped");
        yield return new TestCaseData("[s]\n  k = v\n  j = w\n", "[s]@1 k=v@2 j=w@3")
            .SetName("SameIndentIsNotContinuation");
        yield return new TestCaseData("[s]\nk = v\n   j = w\n", "[s]@1 k=v\\nj = w@2")
            .SetName("DeeperIndentedKeyContinues");
        yield return new TestCaseData("[s]\nk = 50%% off\n", "[s]@1 k=50% off@2").SetName("DoublePercent");
        yield return new TestCaseData("[s] ; note\n", "[s]@1").SetName("CommentAfterHeader");
        yield return new TestCaseData("\uFEFF[s]\r\nk = v\r\n", "[s]@1 k=v@2").SetName("BomAndCrLf");
        yield return new TestCaseData("[/dev/v4l/by-id/usb-046d_C920-video-index0]\n",
            "[/dev/v4l/by-id/usb-046d_C920-video-index0]@1").SetName("DevicePathSection");
        yield return new TestCaseData("[s]\nk = v", "[s]@1 k=v@2").SetName("NoFinalNewline");
        yield return new TestCaseData("", "").SetName("EmptyFile");
    }

    [TestCaseSource(nameof(ValidCases))]
    public void Parses(string text, string expected)
    {
        Assert.That(Dump(IniReader.Parse(text, "t.conf")), Is.EqualTo(expected));
    }

    private static IEnumerable<TestCaseData> ErrorCases()
    {
        yield return new TestCaseData("[s]\nk = 1\n[s]\n", "t.conf:3: duplicate section [s] (first at line 1)")
            .SetName("DuplicateSection");
        yield return new TestCaseData("[s]\nport = 1\nPort = 2\n", "t.conf:3: port: duplicate key in [s] (first at line 2)")
            .SetName("DuplicateKeyCaseInsensitive");
        yield return new TestCaseData("[s]\nk = 1\njunk\n",
                "t.conf:3: expected '[section]', 'key = value' or a comment, found 'junk'")
            .SetName("JunkLine");
        yield return new TestCaseData("port = 8000\n",
                "t.conf:1: 'port = 8000' comes before the first [section]; put it under [server] or a device section such as [/dev/video0]")
            .SetName("KeyBeforeSection");
        yield return new TestCaseData("[s]\n= 5\n", "t.conf:2: missing key before '=' in '= 5'").SetName("MissingKey");
        yield return new TestCaseData("[server\n", "t.conf:1: section header '[server' is missing its closing ']'")
            .SetName("UnclosedHeader");
        yield return new TestCaseData("[server] x\n", "t.conf:1: unexpected 'x' after the section header")
            .SetName("TextAfterHeader");
        yield return new TestCaseData("[]\n", "t.conf:1: empty section name '[]'").SetName("EmptySectionName");
        yield return new TestCaseData("[ server ]\n", "t.conf:1: section name '[ server ]' has spaces around it; write [server]")
            .SetName("SpacesInSectionName");
        yield return new TestCaseData("[s]\nk = 50% off\n", "t.conf:2: k: '50% off': a literal % must be written as %%")
            .SetName("LonePercent");
        yield return new TestCaseData("[s]\nk = %(width)s\n",
                "t.conf:2: k: '%(width)s': %(name)s interpolation is not supported; write %% for a literal %")
            .SetName("Interpolation");
    }

    [TestCaseSource(nameof(ErrorCases))]
    public void RejectsWithExactMessage(string text, string message)
    {
        var e = Assert.Throws<ConfigException>(() => IniReader.Parse(text, "t.conf"));
        Assert.That(e!.Message, Is.EqualTo(message));
    }

    [Test]
    public void ErrorCarriesLocationAndKey()
    {
        var e = Assert.Throws<ConfigException>(() => IniReader.Parse("[s]\n\nk = 1\nk = 2\n", "dir/x.conf"));
        Assert.That(e!.Location, Is.EqualTo(new ConfigLocation("dir/x.conf", 4)));
        Assert.That(e.Key, Is.EqualTo("k"));
        Assert.That(e.Reason, Is.EqualTo("duplicate key in [s] (first at line 3)"));
    }
}
