namespace Fmp4Streamer.Linux;

/// <summary>Something registered with the <see cref="EventLoop"/> that reacts to readiness of its fd.</summary>
public interface IPollable
{
    /// <summary>Called on the loop thread with the epoll event bits (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP...).</summary>
    void OnPoll(int events);
}
