namespace Fmp4Streamer.Http;

public enum ParseStatus { Incomplete, Complete, Rejected }
