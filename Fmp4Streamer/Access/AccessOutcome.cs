namespace Fmp4Streamer.Access;

/// <summary>What to do with a request after looking at its client and credentials.</summary>
public enum AccessOutcome
{
    /// <summary>Serve it.</summary>
    Allowed,
    /// <summary>No usable credentials: 401 with the challenge, now.</summary>
    Challenge,
    /// <summary>A wrong password: 401 with the challenge after the delay.</summary>
    Wrong,
    /// <summary>Hold it: the waiter is told when to try again (a check off the loop, or the delay before one).</summary>
    Wait,
}
