using System.Globalization;

namespace Fmp4Streamer.Alsa;

/// <summary>
/// An ALSA capture device as the config names it: <c>hw:1,0</c>, <c>hw:1</c>, <c>hw:CARD=Name,DEV=0</c>,
/// <c>hw:Name,0</c>, with a subdevice <c>hw:1,0,2</c> or <c>hw:CARD=Name,DEV=0,SUBDEV=2</c>, or the node path
/// <c>/dev/snd/pcmC1D0c</c> (whose open takes any free subdevice). A card named by its id is looked up in
/// /proc/asound/cards each time the device is opened, because a replugged USB microphone may get another number.
/// </summary>
public sealed class AlsaDeviceName
{
    private AlsaDeviceName(string text, int? card, string? cardId, int device, string? path, int? subdevice = null)
    {
        Subdevice = subdevice;
        Text = text;
        Card = card;
        CardId = cardId;
        Device = device;
        Path = path;
    }

    public string Text { get; }
    public int? Card { get; }
    public string? CardId { get; }
    public int Device { get; }
    public string? Path { get; }

    /// <summary>The substream asked for (snd-aloop pairs its playback and capture subdevices); null = any free one.</summary>
    public int? Subdevice { get; }

    /// <summary>Parses a name; null with <paramref name="error"/> saying what is accepted.</summary>
    public static AlsaDeviceName? TryParse(string text, out string error)
    {
        error = "";
        if (text.StartsWith("/dev/snd/pcmC", StringComparison.Ordinal))
        {
            if (text.EndsWith('c')) return new AlsaDeviceName(text, null, null, 0, text);
            error = "is a playback node; capture nodes end in 'c' (/dev/snd/pcmC1D0c)";
            return null;
        }
        if (!text.StartsWith("hw:", StringComparison.Ordinal))
        {
            error = "is not hw:CARD,DEV, hw:CARD=Name,DEV=N or /dev/snd/pcmC<card>D<device>c (plug and dsnoop devices need libasound)";
            return null;
        }
        string[] parts = text[3..].Split(',');
        string card = parts[0], device = parts.Length > 1 ? parts[1] : "0";
        if (card.StartsWith("CARD=", StringComparison.Ordinal)) card = card[5..];
        if (device.StartsWith("DEV=", StringComparison.Ordinal)) device = device[4..];
        if (parts.Length > 3 || !int.TryParse(device, NumberStyles.None, CultureInfo.InvariantCulture, out int dev) || dev > 31
            || card.Length == 0)
        {
            error = "is not hw:CARD,DEV or hw:CARD,DEV,SUBDEV with a device number 0..31";
            return null;
        }
        int? sub = null;
        if (parts.Length == 3)
        {
            string subdevice = parts[2].StartsWith("SUBDEV=", StringComparison.Ordinal) ? parts[2][7..] : parts[2];
            if (!int.TryParse(subdevice, NumberStyles.None, CultureInfo.InvariantCulture, out int s) || s > 1023)
            {
                error = "is not hw:CARD,DEV,SUBDEV with a subdevice number 0..1023";
                return null;
            }
            sub = s;
        }
        if (int.TryParse(card, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            return number <= 31 ? new AlsaDeviceName(text, number, null, dev, null, sub) : Fail(out error);
        foreach (char c in card)
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-') return Fail(out error);
        return new AlsaDeviceName(text, null, card, dev, null, sub);

        static AlsaDeviceName? Fail(out string error)
        {
            error = "names no card: a card number 0..31 or the card's id from /proc/asound/cards";
            return null;
        }
    }

    /// <summary>The capture node's path; null when a card id is not in <paramref name="cardsFile"/> (unplugged).</summary>
    public string? Resolve(string cardsFile = "/proc/asound/cards")
    {
        if (Path is not null) return Path;
        int? card = Card ?? FindCard(CardId!, cardsFile);
        return card is null ? null : $"/dev/snd/pcmC{card}D{Device}c";
    }

    /// <summary>The card's control node, through which a subdevice is asked for; null as for <see cref="Resolve"/>.</summary>
    public string? ResolveControl(string cardsFile = "/proc/asound/cards")
    {
        if (Path is not null) return null;
        int? card = Card ?? FindCard(CardId!, cardsFile);
        return card is null ? null : $"/dev/snd/controlC{card}";
    }

    /// <summary>
    /// The number of the card with id <paramref name="id"/>: /proc/asound/cards has one line per card like
    /// " 1 [Loopback       ]: Loopback - Loopback" (number, id in brackets, driver, name) and a second indented line.
    /// </summary>
    public static int? FindCard(string id, string cardsFile)
    {
        string[] lines;
        try { lines = File.ReadAllLines(cardsFile); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        foreach (string line in lines)
        {
            int open = line.IndexOf('['), close = line.IndexOf(']');
            if (open < 0 || close < open) continue;
            if (!int.TryParse(line.AsSpan(0, open).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int number)) continue;
            if (line.AsSpan(open + 1, close - open - 1).Trim().SequenceEqual(id)) return number;
        }
        return null;
    }

    public override string ToString() => Text;
}
