// The main call flows through late binding from JScript, against the
// virtual card (vcard/README.md): exact status words and reply lengths.
//   cscript jscardflow.js READER t0|t1      (tests/run-wine starts the stack)
// JScript passes arguments by value: the builders fill a command made first.
// min-checks: 18 (tests/run-wine fails a run with fewer)

var SHARED = 2, T0 = 1, T1 = 2, LEAVE = 0, RESET = 1;
var tests = 0, failures = 0;
var reader = WScript.Arguments(0), personality = WScript.Arguments(1);

function check(what, got, expected)
{
    tests++;
    if (got !== expected)
    {
        failures++;
        WScript.Echo("jscardflow.js: Test failed: " + what + ": got " + got + ", expected " + expected);
    }
}

function pick(t0value, t1value) { return personality == "t0" ? t0value : t1value; }
function hex(n) { return (n >>> 0).toString(16); }

var card = new ActiveXObject("SCardSSP.SCard.1");
var iso = new ActiveXObject("SCardSSP.SCardISO7816");
var cmd = new ActiveXObject("SCardSSP.SCardCmd");

function send(what, status, length)
{
    card.Transaction(cmd);
    check(what + " status", hex(Number(cmd.ReplyStatus)), hex(status));
    check(what + " reply length", cmd.ApduReplyLength, length);
}

try
{
    card.AttachByReader("No Such Reader", SHARED, T0 | T1);
    check("unknown reader", "no error", "an error");
}
catch (e)
{
    check("unknown reader", hex(e.number), "80100009");
}

card.AttachByReader(reader, SHARED, T0 | T1);
check("Protocol", card.Protocol, pick(T0, T1));
check("Status", card.Status, 6);

iso.GetChallenge(8, cmd);
send("GET CHALLENGE", 0x9000, 10);
iso.ReadBinary(0x81, 0x00, 16, cmd);              // EF 0001 by SFI
send("READ BINARY 16", 0x9000, 18);
iso.ReadBinary(0x81, 0x00, 32, cmd);              // the file has 16 bytes
send("READ BINARY 32", pick(0x9000, 0x6282), 18);  // T=0: 6C 10, sent again
iso.GetData(0x9F, 0x7F, 8, cmd);
send("GET DATA 9F7F", 0x9000, 10);
iso.ReadBinary(0x86, 0x00, 8, cmd);
send("READ BINARY EF 0006, no PIN", 0x6982, 2);

cmd.BuildCmd(0x00, 0xA4, 0x00, 0x00);             // SELECT MF, optional arguments left out
send("BuildCmd SELECT MF", 0x9000, 2);
check("P3 of a case 1 command", cmd.P3, 0);

card.LockSCard();
iso.GetChallenge(4, cmd);
send("GET CHALLENGE, locked", 0x9000, 6);
card.UnlockSCard(LEAVE);
card.Detach(RESET);

WScript.Echo("jscardflow.js: " + tests + " tests executed (0 marked as todo, " + failures + " failures), 0 skipped.");
WScript.Quit(failures ? 1 : 0);
