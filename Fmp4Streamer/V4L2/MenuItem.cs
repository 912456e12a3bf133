namespace Fmp4Streamer.V4L2;

/// <summary>One VIDIOC_QUERYMENU answer: the index, and the item's name (menus) or integer value (integer menus).</summary>
public readonly record struct MenuItem(uint Index, string Name, long Value);
