namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Reuses decoded pictures of one coded size: the decoder rents a picture per frame and whoever finishes with it
/// last returns it. A new size (a new SPS) drops the pooled pictures of the old one.
/// </summary>
public sealed class PicturePool
{
    private readonly Stack<DecodedPicture> _free = new();
    private int _width;
    private int _height;

    /// <summary>Pictures created so far (for the tests that check reuse).</summary>
    public int Created { get; private set; }

    public DecodedPicture Rent(int codedWidth, int codedHeight)
    {
        if (codedWidth != _width || codedHeight != _height)
        {
            _free.Clear();
            _width = codedWidth;
            _height = codedHeight;
        }
        if (_free.TryPop(out DecodedPicture? picture))
        {
            picture.Renew();
            return picture;
        }
        Created++;
        return new DecodedPicture(codedWidth, codedHeight);
    }

    public void Return(DecodedPicture picture)
    {
        if (picture.CodedWidth == _width && picture.CodedHeight == _height) _free.Push(picture);
    }
}
