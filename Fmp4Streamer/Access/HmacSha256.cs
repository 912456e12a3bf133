namespace Fmp4Streamer.Access;

/// <summary>HMAC-SHA-256 (RFC 2104) over <see cref="Sha256"/>, with a key fixed at construction.</summary>
internal sealed class HmacSha256
{
    private readonly byte[] _innerPad = new byte[Sha256.BlockBytes];
    private readonly byte[] _outerPad = new byte[Sha256.BlockBytes];
    private readonly Sha256 _sha = new();
    private readonly byte[] _inner = new byte[Sha256.HashBytes];

    public HmacSha256(ReadOnlySpan<byte> key)
    {
        Span<byte> k = stackalloc byte[Sha256.BlockBytes];
        k.Clear();
        // RFC 2104 2: keys longer than a block are hashed first.
        if (key.Length > Sha256.BlockBytes) Sha256.Hash(key, k);
        else key.CopyTo(k);
        for (int i = 0; i < Sha256.BlockBytes; i++)
        {
            _innerPad[i] = (byte)(k[i] ^ 0x36);
            _outerPad[i] = (byte)(k[i] ^ 0x5c);
        }
        k.Clear();
    }

    /// <summary>The MAC of the concatenation of <paramref name="first"/> and <paramref name="second"/>.</summary>
    public void Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> mac)
    {
        _sha.Append(_innerPad);
        _sha.Append(first);
        _sha.Append(second);
        _sha.Finish(_inner);
        _sha.Append(_outerPad);
        _sha.Append(_inner);
        _sha.Finish(mac);
    }

    public void Compute(ReadOnlySpan<byte> message, Span<byte> mac) => Compute(message, default, mac);
}
