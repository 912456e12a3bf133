using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Fmp4Streamer.Linux.Native;

namespace Fmp4Streamer.Tests.Interop;

/// <summary>
/// Reads the C# kernel declarations (struct sizes, field offsets and sizes, constants, request numbers) and writes
/// them as C: a file of _Static_asserts for gcc -fsyntax-only, and a program printing the C side's values.
/// </summary>
public static class KernelLayoutGenerator
{
    /// <summary>C# type and the C type it mirrors. Types not listed (the named unions) are checked through their parent.</summary>
    public static readonly (Type Type, string CName)[] Structs =
    {
        (typeof(timeval), "struct timeval"),
        (typeof(timespec), "struct timespec"),
        (typeof(v4l2_capability), "struct v4l2_capability"),
        (typeof(v4l2_pix_format), "struct v4l2_pix_format"),
        (typeof(v4l2_plane_pix_format), "struct v4l2_plane_pix_format"),
        (typeof(v4l2_pix_format_mplane), "struct v4l2_pix_format_mplane"),
        (typeof(v4l2_format), "struct v4l2_format"),
        (typeof(v4l2_fract), "struct v4l2_fract"),
        (typeof(v4l2_captureparm), "struct v4l2_captureparm"),
        (typeof(v4l2_streamparm), "struct v4l2_streamparm"),
        (typeof(v4l2_requestbuffers), "struct v4l2_requestbuffers"),
        (typeof(v4l2_timecode), "struct v4l2_timecode"),
        (typeof(v4l2_buffer), "struct v4l2_buffer"),
        (typeof(v4l2_plane), "struct v4l2_plane"),
        (typeof(v4l2_exportbuffer), "struct v4l2_exportbuffer"),
        (typeof(v4l2_fmtdesc), "struct v4l2_fmtdesc"),
        (typeof(v4l2_frmsize_discrete), "struct v4l2_frmsize_discrete"),
        (typeof(v4l2_frmsize_stepwise), "struct v4l2_frmsize_stepwise"),
        (typeof(v4l2_frmsizeenum), "struct v4l2_frmsizeenum"),
        (typeof(v4l2_queryctrl), "struct v4l2_queryctrl"),
        (typeof(v4l2_query_ext_ctrl), "struct v4l2_query_ext_ctrl"),
        (typeof(v4l2_querymenu), "struct v4l2_querymenu"),
        (typeof(v4l2_control), "struct v4l2_control"),
        (typeof(v4l2_ext_control), "struct v4l2_ext_control"),
        (typeof(v4l2_ext_controls), "struct v4l2_ext_controls"),
        (typeof(v4l2_event_subscription), "struct v4l2_event_subscription"),
        (typeof(v4l2_event_ctrl), "struct v4l2_event_ctrl"),
        (typeof(v4l2_event_src_change), "struct v4l2_event_src_change"),
        (typeof(v4l2_event), "struct v4l2_event"),
        (typeof(v4l2_encoder_cmd), "struct v4l2_encoder_cmd"),
        (typeof(v4l2_decoder_cmd), "struct v4l2_decoder_cmd"),
        (typeof(uvc_xu_control_query), "struct uvc_xu_control_query"),
        (typeof(posix_spawnattr_t), "posix_spawnattr_t"),
        (typeof(posix_spawn_file_actions_t), "posix_spawn_file_actions_t"),
        (typeof(sigset_t), "sigset_t"),
        (typeof(snd_pcm_hw_params), "struct snd_pcm_hw_params"),
        (typeof(snd_pcm_sw_params), "struct snd_pcm_sw_params"),
        (typeof(snd_pcm_status), "struct snd_pcm_status"),
        (typeof(snd_xferi), "struct snd_xferi"),
        (typeof(snd_ctl_card_info), "struct snd_ctl_card_info"),
        (typeof(snd_ctl_elem_id), "struct snd_ctl_elem_id"),
        (typeof(snd_ctl_elem_list), "struct snd_ctl_elem_list"),
        (typeof(snd_ctl_elem_info), "struct snd_ctl_elem_info"),
        (typeof(snd_ctl_elem_value), "struct snd_ctl_elem_value"),
    };

    /// <summary>Classes whose constants and request numbers carry the C macro or enum name.</summary>
    public static readonly Type[] ConstantClasses = { typeof(ioctl), typeof(videodev2), typeof(uvcvideo), typeof(Spawn), typeof(asound) };

    public static List<LayoutFact> Facts()
    {
        var facts = new List<LayoutFact>();
        foreach (var (type, cName) in Structs)
        {
            facts.Add(new LayoutFact($"sizeof({cName})", (ulong)Marshal.SizeOf(type)));
            AddFields(facts, type, cName, "", 0);
        }
        foreach (var cls in ConstantClasses)
        {
            foreach (var field in cls.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                if (!field.IsLiteral && !field.IsInitOnly) continue;
                object? value = field.GetValue(null);
                if (value is null) continue;
                facts.Add(new LayoutFact(field.Name, ToUInt64(value)));
            }
        }
        return facts;
    }

    private static void AddFields(List<LayoutFact> facts, Type type, string cName, string prefix, int baseOffset)
    {
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            string member = prefix + field.Name;
            int offset = baseOffset + (int)Marshal.OffsetOf(type, field.Name);
            facts.Add(new LayoutFact($"offsetof({cName}, {member})", (ulong)offset));
            facts.Add(new LayoutFact($"sizeof((({cName} *)0)->{member})", (ulong)FieldSize(field)));
            bool namedUnion = field.FieldType.IsValueType && !field.FieldType.IsPrimitive
                && field.GetCustomAttribute<FixedBufferAttribute>() is null
                && Array.FindIndex(Structs, s => s.Type == field.FieldType) < 0;
            if (namedUnion) AddFields(facts, field.FieldType, cName, member + ".", offset);
        }
    }

    private static int FieldSize(FieldInfo field)
    {
        var fixedBuffer = field.GetCustomAttribute<FixedBufferAttribute>();
        if (fixedBuffer is not null) return Marshal.SizeOf(fixedBuffer.ElementType) * fixedBuffer.Length;
        return Marshal.SizeOf(field.FieldType);
    }

    private static ulong ToUInt64(object value) => value switch
    {
        byte b => b,
        ushort us => us,
        short s => unchecked((ulong)(long)s),
        uint u => u,
        ulong ul => ul,
        int i => unchecked((ulong)(long)i),
        long l => unchecked((ulong)l),
        _ => throw new InvalidOperationException("unexpected constant type " + value.GetType()),
    };

    private const string Includes =
        "#include <stddef.h>\n#include <stdio.h>\n#include <sys/time.h>\n#include <time.h>\n" +
        "#include <signal.h>\n#include <spawn.h>\n#include <sys/prctl.h>\n#include <sys/wait.h>\n" +
        "#include <linux/ioctl.h>\n#include <linux/videodev2.h>\n#include <linux/uvcvideo.h>\n#include <linux/usb/video.h>\n" +
        "#include <stdlib.h>\n#include <sys/ioctl.h>\n#include <sound/asound.h>\n\n";

    /// <summary>One _Static_assert per fact; gcc names the failing expression in its error.</summary>
    public static string StaticAssertSource(IEnumerable<LayoutFact> facts)
    {
        var sb = new StringBuilder(Includes);
        foreach (var f in facts)
            sb.Append("_Static_assert((unsigned long long)(").Append(f.CExpression).Append(") == ").Append(f.Value)
              .Append("ull, \"").Append(f.CExpression).Append(" == ").Append(f.Value).Append("\");\n");
        return sb.ToString();
    }

    /// <summary>A program printing "expression\tvalue" for each fact as the target's compiler sees it.</summary>
    public static string PrintProgramSource(IEnumerable<LayoutFact> facts)
    {
        var sb = new StringBuilder(Includes);
        sb.Append("int main(void)\n{\n");
        foreach (var f in facts)
            sb.Append("    printf(\"%s\\t%llu\\n\", \"").Append(f.CExpression).Append("\", (unsigned long long)(")
              .Append(f.CExpression).Append("));\n");
        sb.Append("    return 0;\n}\n");
        return sb.ToString();
    }

    /// <summary>Lines "expression: C says X, C# says Y" for every fact the printed output disagrees with.</summary>
    public static List<string> Compare(IEnumerable<LayoutFact> facts, string printedOutput)
    {
        var printed = new Dictionary<string, ulong>();
        foreach (var line in printedOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int tab = line.LastIndexOf('\t');
            printed[line[..tab]] = ulong.Parse(line[(tab + 1)..]);
        }
        var mismatches = new List<string>();
        foreach (var f in facts)
        {
            if (!printed.TryGetValue(f.CExpression, out ulong c)) mismatches.Add($"{f.CExpression}: not printed by the C program");
            else if (c != f.Value) mismatches.Add($"{f.CExpression}: C says {c}, C# says {f.Value}");
        }
        return mismatches;
    }
}
