using Fmp4Streamer.H264;

namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The reference frames (H.264 8.2.4 and 8.2.5): builds list 0 of P slices (short-term by descending PicNum, then
/// long-term by LongTermPicNum, then the slice's modifications) and both lists of B slices (by picture order count),
/// and marks pictures after decoding (sliding window or memory management operations). A frame no longer referenced goes back through <see cref="Released"/>.
/// </summary>
public sealed class DecodedPictureBuffer
{
    private const int MaxFrames = 16;
    private readonly DecodedPicture[] _frames = new DecodedPicture[MaxFrames + 1];
    private readonly DecodedPicture?[] _scratch = new DecodedPicture?[33];
    private readonly DecodedPicture?[] _scratch1 = new DecodedPicture?[33];
    private int _count;
    private int _maxLongTermFrameIdx = -1;

    /// <summary>Called for a frame that stops being a reference.</summary>
    public Action<DecodedPicture>? Released { get; set; }

    public int Count => _count;

    public void Clear()
    {
        for (int i = 0; i < _count; i++) Unmark(_frames[i]);
        _count = 0;
        _maxLongTermFrameIdx = -1;
    }

    /// <summary>
    /// Fills <paramref name="list"/> with list 0 of a P slice (8.2.4.2.1 then 8.2.4.3); false when a modification
    /// names a picture that is not there.
    /// </summary>
    public bool BuildList0(int currFrameNum, int maxFrameNum, RefPicListModification modification, int numActive, DecodedPicture?[] list)
    {
        int n = 0;
        // Short-term by descending FrameNumWrap, insertion-sorted (at most 16).
        for (int i = 0; i < _count; i++)
        {
            DecodedPicture f = _frames[i];
            if (!f.IsShortTermReference) continue;
            int key = PicNum(f, currFrameNum, maxFrameNum);
            int at = n;
            while (at > 0 && PicNum(_scratch[at - 1]!, currFrameNum, maxFrameNum) < key)
            {
                _scratch[at] = _scratch[at - 1];
                at--;
            }
            _scratch[at] = f;
            n++;
        }
        n = AppendLongTerm(_scratch, n);
        for (int i = 0; i < list.Length; i++) list[i] = i < n && i < numActive ? _scratch[i] : null;
        // 8.2.4.2.1: a list longer than numActive is truncated; a shorter one keeps "no reference picture" entries,
        // except that x264 and ffmpeg repeat nothing, so those stay null and using one is an error.
        return !modification.Present || Modify(currFrameNum, maxFrameNum, modification, numActive, list);
    }

    /// <summary>
    /// Fills list 0 and list 1 of a B slice (8.2.4.2.3 for frames, then 8.2.4.3 for each list); false when a
    /// modification names a picture that is not there.
    /// </summary>
    public bool BuildBLists(int currPoc, int currFrameNum, int maxFrameNum, RefPicListModification modification0,
        RefPicListModification modification1, int numActive0, int numActive1, DecodedPicture?[] list0, DecodedPicture?[] list1)
    {
        int n0 = FillByPoc(currPoc, before: true, _scratch);
        int n1 = FillByPoc(currPoc, before: false, _scratch1);
        // A list 1 equal to list 0 would make bi-prediction predict twice from the same pictures: swap its first two.
        if (n1 > 1 && n0 == n1)
        {
            int same = 0;
            while (same < n0 && _scratch[same] == _scratch1[same]) same++;
            if (same == n0) (_scratch1[0], _scratch1[1]) = (_scratch1[1], _scratch1[0]);
        }
        for (int i = 0; i < list0.Length; i++) list0[i] = i < n0 && i < numActive0 ? _scratch[i] : null;
        for (int i = 0; i < list1.Length; i++) list1[i] = i < n1 && i < numActive1 ? _scratch1[i] : null;
        return (!modification0.Present || Modify(currFrameNum, maxFrameNum, modification0, numActive0, list0))
            && (!modification1.Present || Modify(currFrameNum, maxFrameNum, modification1, numActive1, list1));
    }

    /// <summary>
    /// Short-term frames on one side of <paramref name="currPoc"/> nearest first, then those on the other side nearest
    /// first (list 0 starts with the earlier ones, list 1 with the later ones), then long-term by LongTermFrameIdx.
    /// </summary>
    private int FillByPoc(int currPoc, bool before, DecodedPicture?[] into)
    {
        int n = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            bool earlier = (pass == 0) == before;
            int start = n;
            for (int i = 0; i < _count; i++)
            {
                DecodedPicture f = _frames[i];
                if (!f.IsShortTermReference || (f.PicOrderCnt < currPoc) != earlier) continue;
                int distance = earlier ? currPoc - f.PicOrderCnt : f.PicOrderCnt - currPoc;
                int at = n;
                while (at > start && Distance(into[at - 1]!, currPoc) > distance)
                {
                    into[at] = into[at - 1];
                    at--;
                }
                into[at] = f;
                n++;
            }
        }
        return AppendLongTerm(into, n);
    }

    /// <summary>Long-term references after the <paramref name="n"/> short-term ones, by ascending LongTermFrameIdx (8.2.4.2).</summary>
    private int AppendLongTerm(DecodedPicture?[] into, int n)
    {
        int shortCount = n;
        for (int i = 0; i < _count; i++)
        {
            DecodedPicture f = _frames[i];
            if (!f.IsLongTermReference) continue;
            int at = n;
            while (at > shortCount && into[at - 1]!.LongTermFrameIdx > f.LongTermFrameIdx)
            {
                into[at] = into[at - 1];
                at--;
            }
            into[at] = f;
            n++;
        }
        return n;
    }

    private static int Distance(DecodedPicture f, int currPoc) => Math.Abs(f.PicOrderCnt - currPoc);

    private bool Modify(int currFrameNum, int maxFrameNum, RefPicListModification modification, int numActive, DecodedPicture?[] list)
    {
        int picNumPred = currFrameNum;
        int refIdx = 0;
        for (int k = 0; k < modification.Count; k++)
        {
            var op = modification[k];
            if (op.ModificationOfPicNumsIdc == 3) break;
            if (refIdx >= numActive) return false;
            DecodedPicture? target = null;
            if (op.ModificationOfPicNumsIdc < 2)
            {
                int abs = op.Value + 1;
                int noWrap = op.ModificationOfPicNumsIdc == 0 ? picNumPred - abs : picNumPred + abs;
                if (noWrap < 0) noWrap += maxFrameNum;
                if (noWrap >= maxFrameNum) noWrap -= maxFrameNum;
                picNumPred = noWrap;
                int picNum = noWrap > currFrameNum ? noWrap - maxFrameNum : noWrap;
                for (int i = 0; i < _count; i++)
                {
                    if (_frames[i].IsShortTermReference && PicNum(_frames[i], currFrameNum, maxFrameNum) == picNum) target = _frames[i];
                }
            }
            else
            {
                for (int i = 0; i < _count; i++)
                {
                    if (_frames[i].IsLongTermReference && _frames[i].LongTermFrameIdx == op.Value) target = _frames[i];
                }
            }
            if (target == null) return false;
            // Equations 8-37 and 8-38: insert at refIdx, then drop the later copy of the same picture.
            for (int i = Math.Min(numActive, list.Length - 1); i > refIdx; i--) list[i] = list[i - 1];
            list[refIdx++] = target;
            int next = refIdx;
            for (int i = refIdx; i <= numActive && i < list.Length; i++)
            {
                if (list[i] != target) list[next++] = list[i];
            }
            for (int i = next; i < list.Length; i++) list[i] = i < numActive ? list[i] : null;
        }
        for (int i = numActive; i < list.Length; i++) list[i] = null;
        return true;
    }

    private static int PicNum(DecodedPicture f, int currFrameNum, int maxFrameNum) =>
        f.FrameNum > currFrameNum ? f.FrameNum - maxFrameNum : f.FrameNum;

    /// <summary>8.2.5: marks the just decoded reference picture and updates the others.</summary>
    public void MarkDecoded(DecodedPicture current, SliceHeader header, int maxNumRefFrames, int maxFrameNum)
    {
        current.FrameNum = header.FrameNum;
        RefPicMarking marking = header.DecRefPicMarking;
        bool markedLong = false;
        if (header.IdrPicFlag)
        {
            Clear();
            if (marking.LongTermReference)
            {
                current.IsLongTermReference = true;
                current.LongTermFrameIdx = 0;
                _maxLongTermFrameIdx = 0;
                markedLong = true;
            }
        }
        else if (marking.AdaptiveRefPicMarkingMode)
        {
            for (int k = 0; k < marking.Count; k++)
            {
                var op = marking[k];
                switch (op.Operation)
                {
                    case 1:
                    {
                        int picNumX = header.FrameNum - (op.DifferenceOfPicNumsMinus1 + 1);
                        for (int i = 0; i < _count; i++)
                        {
                            if (_frames[i].IsShortTermReference && PicNum(_frames[i], header.FrameNum, maxFrameNum) == picNumX)
                            {
                                _frames[i].IsShortTermReference = false;
                            }
                        }
                        break;
                    }
                    case 2:
                        for (int i = 0; i < _count; i++)
                        {
                            if (_frames[i].IsLongTermReference && _frames[i].LongTermFrameIdx == op.LongTermPicNum) _frames[i].IsLongTermReference = false;
                        }
                        break;
                    case 3:
                    {
                        int picNumX = header.FrameNum - (op.DifferenceOfPicNumsMinus1 + 1);
                        DropLongTermIndex(op.LongTermFrameIdx);
                        for (int i = 0; i < _count; i++)
                        {
                            DecodedPicture f = _frames[i];
                            if (f.IsShortTermReference && PicNum(f, header.FrameNum, maxFrameNum) == picNumX)
                            {
                                f.IsShortTermReference = false;
                                f.IsLongTermReference = true;
                                f.LongTermFrameIdx = op.LongTermFrameIdx;
                            }
                        }
                        break;
                    }
                    case 4:
                        _maxLongTermFrameIdx = op.MaxLongTermFrameIdxPlus1 - 1;
                        for (int i = 0; i < _count; i++)
                        {
                            if (_frames[i].IsLongTermReference && _frames[i].LongTermFrameIdx > _maxLongTermFrameIdx) _frames[i].IsLongTermReference = false;
                        }
                        break;
                    case 5:
                        for (int i = 0; i < _count; i++) _frames[i].IsShortTermReference = _frames[i].IsLongTermReference = false;
                        _maxLongTermFrameIdx = -1;
                        current.FrameNum = 0;   // 8.2.1: the picture counts as frame_num 0 from now on
                        current.PicOrderCnt = 0;   // 8.2.1: and its order count restarts at 0 (tempPicOrderCnt subtracted)
                        break;
                    case 6:
                        DropLongTermIndex(op.LongTermFrameIdx);
                        current.IsLongTermReference = true;
                        current.LongTermFrameIdx = op.LongTermFrameIdx;
                        markedLong = true;
                        break;
                }
            }
        }
        else
        {
            SlidingWindow(Math.Max(maxNumRefFrames, 1), header.FrameNum, maxFrameNum);
        }
        if (!markedLong) current.IsShortTermReference = true;
        Compact();
        // A stream that keeps more than the DPB holds is damaged; dropping its oldest short-term frame keeps going.
        if (_count >= MaxFrames) SlidingWindow(MaxFrames - 1, header.FrameNum, maxFrameNum);
        Compact();
        _frames[_count++] = current;
    }

    private void SlidingWindow(int limit, int currFrameNum, int maxFrameNum)
    {
        int references = 0;
        for (int i = 0; i < _count; i++) references += _frames[i].IsReference ? 1 : 0;
        while (references >= limit)
        {
            DecodedPicture? oldest = null;
            for (int i = 0; i < _count; i++)
            {
                DecodedPicture f = _frames[i];
                if (f.IsShortTermReference && (oldest == null || PicNum(f, currFrameNum, maxFrameNum) < PicNum(oldest, currFrameNum, maxFrameNum))) oldest = f;
            }
            if (oldest == null) break;
            oldest.IsShortTermReference = false;
            references--;
        }
    }

    private void DropLongTermIndex(int longTermFrameIdx)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_frames[i].IsLongTermReference && _frames[i].LongTermFrameIdx == longTermFrameIdx) _frames[i].IsLongTermReference = false;
        }
    }

    /// <summary>Removes frames no longer marked as references, handing each to <see cref="Released"/>.</summary>
    private void Compact()
    {
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            DecodedPicture f = _frames[i];
            if (f.IsReference) _frames[kept++] = f;
            else Released?.Invoke(f);
        }
        for (int i = kept; i < _count; i++) _frames[i] = null!;
        _count = kept;
    }

    private void Unmark(DecodedPicture f)
    {
        f.IsShortTermReference = f.IsLongTermReference = false;
        Released?.Invoke(f);
    }
}
