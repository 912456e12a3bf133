namespace Fmp4Streamer.Access;

/// <summary>A request held while its password is checked off the loop; told on the loop when to try again.</summary>
public interface IAccessWaiter
{
    void OnAccessReady();
}
