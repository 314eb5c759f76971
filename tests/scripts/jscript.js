// Late binding from JScript: the card-free objects, created by ProgID and
// called the way JScript calls them (every argument by value, so [in, out]
// values are never written back; null or undefined for "no object").
// Commands are checked through the ISCardCmd properties: bytes cannot be
// read from a byte buffer in a script.
//
// Prints one line per failure and a Wine-style summary; exits with 1 when
// a check failed.
// min-checks: 220 (tests/run-wine fails a run with fewer)

var NAME = "jscript.js";
var tests = 0, failures = 0;

function check(condition, message)
{
    tests++;
    if (!condition)
    {
        failures++;
        WScript.Echo(NAME + ": Test failed: " + message);
    }
}

function check_eq(got, expected, message)
{
    check(got === expected, message + ": got " + got + ", expected " + expected);
}

function hex(hr)
{
    return "0x" + (hr >>> 0).toString(16);
}

// f() succeeds (expected 0) or throws this HRESULT
function check_hr(f, expected, message)
{
    var got = 0;
    try { f(); } catch (e) { got = e.number >>> 0; }
    check(got === expected >>> 0, message + ": got " + hex(got) + ", expected " + hex(expected));
}

function check_cmd(cmd, cla, ins, p1, p2, p3, le, length, message)
{
    check_eq(cmd.ClassId, cla, message + " CLA");
    check_eq(cmd.InstructionId, ins, message + " INS");
    check_eq(cmd.P1, p1, message + " P1");
    check_eq(cmd.P2, p2, message + " P2");
    check_eq(cmd.P3, p3, message + " P3");
    check_eq(cmd.LeField, le, message + " Le");
    check_eq(cmd.ApduLength, length, message + " length");
}

function create(progid)
{
    var obj = null;
    check_hr(function() { obj = new ActiveXObject(progid); }, 0, "new ActiveXObject(" + progid + ")");
    return obj;
}

function test_creation()
{
    var stems = ["ByteBuffer", "SCardTypeConv", "SCardCmd", "SCardISO7816", "SCard", "SCardDatabase", "SCardLocate"];
    var i;

    for (i = 0; i < stems.length; i++)
    {
        check_eq(typeof create("SCardSSP." + stems[i]), "object", stems[i]);
        check_eq(typeof create("SCardSSP." + stems[i] + ".1"), "object", stems[i] + ".1");
    }
    check_hr(function() { new ActiveXObject("SCardSSP.NoSuchClass"); }, 0x800a01ad, "an unknown ProgID");
}

function test_cmd()
{
    var cmd = create("SCardSSP.SCardCmd"), iso = create("SCardSSP.SCardISO7816");
    var challenge = create("SCardSSP.SCardCmd"), data, le = 256, nothing;

    check_eq(cmd.ApduLength, 0, "new ApduLength");
    check_eq(cmd.Type, 1, "new Type");

    cmd.BuildCmd(0x80, 0xca);
    check_cmd(cmd, 0x80, 0xca, 0, 0, 0, 0, 4, "case 1");
    cmd.BuildCmd(0x00, 0xb0, 1, 2, nothing, 16);
    check_cmd(cmd, 0x00, 0xb0, 1, 2, 16, 16, 5, "case 2");
    check_eq(cmd.Type, 2, "case 2 Type");

    // some bytes to send: a GET CHALLENGE command is 5 bytes
    iso.GetChallenge(8, challenge);
    data = challenge.Apdu;
    cmd.BuildCmd(0x00, 0xd6, 0, 0, data);
    check_cmd(cmd, 0x00, 0xd6, 0, 0, 5, 0, 10, "case 3");
    cmd.BuildCmd(0x00, 0xd6, 0, 0, data, le);
    check_cmd(cmd, 0x00, 0xd6, 0, 0, 5, 256, 11, "case 4");
    check_eq(cmd.Type, 4, "case 4 Type");
    cmd.BuildCmd(0x00, 0xd6, 0, 0, null, 0);
    check_cmd(cmd, 0x00, 0xd6, 0, 0, 0, 0, 4, "null data, Le 0");

    cmd.P1 = 0x12;
    cmd.P2 = 0x34;
    cmd.ClassId = 0x80;
    cmd.InstructionId = 0xb2;
    check_cmd(cmd, 0x80, 0xb2, 0x12, 0x34, 0, 0, 4, "after the setters");
    cmd.Data = data;
    check_cmd(cmd, 0x80, 0xb2, 0x12, 0x34, 5, 0, 10, "after Data");

    // the reply: GET CHALLENGE's 5 bytes end with 00 08
    cmd.ApduReply = data;
    check_eq(cmd.ApduReplyLength, 5, "ApduReplyLength");
    check_eq(cmd.ReplyStatus, 0x0008, "ReplyStatus");
    check_eq(cmd.ReplyStatusSW1, 0x00, "SW1");
    check_eq(cmd.ReplyStatusSW2, 0x08, "SW2");

    check_hr(function() { return cmd.AlternateClassId; }, 0x80070005, "AlternateClassId before it is set");
    cmd.AlternateClassId = 0xc0;
    check_eq(cmd.AlternateClassId, 0xc0, "AlternateClassId");
    check_hr(function() { cmd.P1 = 256; }, 0x8002000a, "P1 = 256");
    check_hr(function() { cmd.BuildCmd(0, 0xb0, 0, 0, null, 70000); }, 0x80070057, "Le 70000");
    check_hr(function() { cmd.BuildCmd(0, 0xb0, 0, 0, cmd); }, 0x80020005, "a command as data");
    check_hr(function() { cmd.BuildCmd(0); }, 0x8002000e, "one argument");

    cmd.Clear();
    check_eq(cmd.ApduLength, 0, "ApduLength after Clear");
    check_eq(cmd.ApduReplyLength, 0, "ApduReplyLength after Clear");
}

function test_builders()
{
    var iso = create("SCardSSP.SCardISO7816"), cmd = create("SCardSSP.SCardCmd"), data, none = null;

    iso.GetChallenge(8, cmd);
    check_cmd(cmd, 0, 0x84, 0, 0, 8, 8, 5, "GetChallenge");
    data = cmd.Data;    /* empty */
    data = cmd.Apdu;    /* 5 bytes */

    // by value: an existing command is filled in; null stays null
    iso.SelectFile(0x00, 0x0c, data, 0, cmd);
    check_cmd(cmd, 0, 0xa4, 0, 0x0c, 5, 0, 10, "SelectFile");
    check_hr(function() { iso.SelectFile(0x00, 0x0c, data, 0, none); }, 0, "SelectFile into null");
    check_eq(none, null, "null after SelectFile");

    iso.SetDefaultClassId(0x80);
    iso.ReadBinary(0x81, 0x10, 4, cmd);
    check_cmd(cmd, 0x80, 0xb0, 0x81, 0x10, 4, 4, 5, "ReadBinary");
    iso.ReadRecord(1, 4, 0, cmd);
    check_cmd(cmd, 0x80, 0xb2, 1, 4, 0, 256, 5, "ReadRecord");
    iso.GetData(1, 2, 16, cmd);
    check_cmd(cmd, 0x80, 0xca, 1, 2, 16, 16, 5, "GetData");
    iso.GetResponse(0, 0, 32, cmd);
    check_cmd(cmd, 0x80, 0xc0, 0, 0, 32, 32, 5, "GetResponse");
    iso.UpdateBinary(0, 0, data, cmd);
    check_cmd(cmd, 0x80, 0xd6, 0, 0, 5, 0, 10, "UpdateBinary");
    iso.WriteBinary(0, 1, data, cmd);
    check_cmd(cmd, 0x80, 0xd0, 0, 1, 5, 0, 10, "WriteBinary");
    iso.EraseBinary(0, 2, null, cmd);
    check_cmd(cmd, 0x80, 0x0e, 0, 2, 0, 0, 4, "EraseBinary");
    iso.AppendRecord(8, data, cmd);
    check_cmd(cmd, 0x80, 0xe2, 0, 8, 5, 0, 10, "AppendRecord");
    iso.UpdateRecord(3, 4, data, cmd);
    check_cmd(cmd, 0x80, 0xdc, 3, 4, 5, 0, 10, "UpdateRecord");
    iso.WriteRecord(3, 4, data, cmd);
    check_cmd(cmd, 0x80, 0xd2, 3, 4, 5, 0, 10, "WriteRecord");
    iso.PutData(1, 2, data, cmd);
    check_cmd(cmd, 0x80, 0xda, 1, 2, 5, 0, 10, "PutData");
    iso.Verify(0x81, data, cmd);
    check_cmd(cmd, 0x80, 0x20, 0, 0x81, 5, 0, 10, "Verify");
    iso.ExternalAuthenticate(1, 2, data, cmd);
    check_cmd(cmd, 0x80, 0x82, 1, 2, 5, 0, 10, "ExternalAuthenticate");
    iso.InternalAuthenticate(1, 2, data, 8, cmd);
    check_cmd(cmd, 0x80, 0x88, 1, 2, 5, 8, 11, "InternalAuthenticate");
    iso.ManageChannel(0x80, 1, cmd);
    check_cmd(cmd, 0x80, 0x70, 0x80, 1, 0, 0, 4, "ManageChannel");

    check_hr(function() { iso.GetChallenge(8, data); }, 0x80020005, "GetChallenge into a byte buffer");
    check_hr(function() { iso.GetChallenge(8, 5); }, 0x80020005, "GetChallenge into a number");
    check_hr(function() { iso.GetChallenge(8); }, 0x8002000e, "GetChallenge without a command");
    check_hr(function() { iso.UpdateBinary(0, 0, null, cmd); }, 0x80004003, "UpdateBinary without data");
}

function test_bytebuffer()
{
    var buf = create("SCardSSP.ByteBuffer"), tc = create("SCardSSP.SCardTypeConv"), clone;

    buf.Initialize(4);
    buf.SetSize(9);
    check_hr(function() { buf.Seek(3, 0); }, 0, "Seek");
    clone = tc.CreateByteBuffer(6);
    check_eq(typeof clone, "object", "CreateByteBuffer");
    check_hr(function() { buf.Clone(clone); }, 0, "Clone into an existing variable (by value)");
    check_hr(function() { buf.Read(0, 100); }, 0x80020005, "Read into a number");
    check_hr(function() { buf.Initialize(4, 7); }, 0x80020005, "Initialize with a number as data");
    check_hr(function() { buf.Initialize(4, null); }, 0, "Initialize with null data");
}

test_creation();
test_cmd();
test_builders();
test_bytebuffer();

WScript.Echo("jscript: " + tests + " tests executed (0 marked as todo, " + failures + " failures), 0 skipped.");
WScript.Quit(failures ? 1 : 0);
