namespace Pipeline.Core.Submissions.Reading;

/// <summary>
/// Reads through to the inner stream and stops with <see cref="LimitExceededException"/> once more than the limit has
/// been read, so a size the store under-reported cannot make a reader consume an unbounded file.
/// </summary>
internal sealed class SizeLimitedStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => inner.Position = value; }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        // Seeking readers (zip) may read parts twice; the limit is on the stream's extent, checked by position where known.
        _read = CanSeek ? Math.Max(_read, inner.Position) : _read + read;
        if (_read > limit)
        {
            throw new LimitExceededException();
        }

        return read;
    }

    internal sealed class LimitExceededException : Exception
    {
        public LimitExceededException()
            : base("The stream is longer than the size limit.")
        {
        }
    }
}
