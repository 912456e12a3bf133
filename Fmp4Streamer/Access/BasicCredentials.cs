using System.Text;

namespace Fmp4Streamer.Access;

/// <summary>The user and password of an "Authorization: Basic base64(user:password)" header (RFC 7617).</summary>
public static class BasicCredentials
{
    public static bool TryParse(ReadOnlySpan<byte> header, out string user, out byte[] password)
    {
        user = "";
        password = [];
        header = header.Trim((byte)' ');
        if (header.Length < 7 || !Ascii.EqualsIgnoreCase(header[..6], "basic "u8)) return false;
        var encoded = header[6..].Trim((byte)' ');
        if (encoded.Length > 1024) return false;
        var decoded = new byte[encoded.Length];
        if (System.Buffers.Text.Base64.DecodeFromUtf8(encoded, decoded, out _, out int length) != System.Buffers.OperationStatus.Done)
            return false;
        var pair = decoded.AsSpan(0, length);
        int colon = pair.IndexOf((byte)':');
        if (colon < 0) return false;
        try
        {
            user = new UTF8Encoding(false, true).GetString(pair[..colon]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        password = pair[(colon + 1)..].ToArray();
        pair.Clear();
        return user.Length > 0;
    }
}
