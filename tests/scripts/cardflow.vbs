' The documented call flows through late binding against the virtual card
' (vcard/README.md): CreateObject by ProgID, AttachByReader, the ISO 7816
' builders, Transaction, the reply, locks, Detach; exact status words and
' reply lengths (Wine's VBScript cannot index byte arrays).
'   cscript cardflow.vbs READER t0|t1      (tests/run-wine starts the stack)
' min-checks: 48 (tests/run-wine fails a run with fewer)
Option Explicit

Const EXCLUSIVE = 1, SHARED = 2, T0 = 1, T1 = 2, LEAVE = 0, RESET = 1
Dim tests, failures, reader, personality, card, iso, conv, cmd, holder

tests = 0 : failures = 0
reader = WScript.Arguments(0)
personality = WScript.Arguments(1)

Sub Check(what, got, expected)
    tests = tests + 1
    If got <> expected Then
        failures = failures + 1
        WScript.Echo "cardflow.vbs: Test failed: " & what & ": got " & got & ", expected " & expected
    End If
End Sub

Function Bytes(list)
    Set Bytes = conv.ConvertSafeArrayToByteBuffer(list)
End Function

' Byte counts: ISCardCmd measures a buffer it holds as a reply.
Function Length(buffer)
    holder.ApduReply = buffer
    Length = holder.ApduReplyLength
End Function

' Sends cmd; checks the status word (as a Long: Wine's VBScript compares no
' VT_UI2) and the reply length (data + SW1 SW2).
Sub Send(what, status, length)
    card.Transaction cmd
    Check what & " status", Hex(CLng(cmd.ReplyStatus)), Hex(status)
    Check what & " reply length", cmd.ApduReplyLength, length
End Sub

Function Pick(t0value, t1value)
    If personality = "t0" Then Pick = t0value Else Pick = t1value
End Function

Set card = CreateObject("SCardSSP.SCard")
Set iso = CreateObject("SCardSSP.SCardISO7816.1")
Set conv = CreateObject("SCardSSP.SCardTypeConv")
Set holder = CreateObject("SCardSSP.SCardCmd")

' errors reach the script as the SCARD_* code
On Error Resume Next
card.AttachByReader "No Such Reader", SHARED, T0 Or T1
Check "unknown reader", Hex(Err.Number), "80100009"
Err.Clear
holder.BuildCmd &H00, &H84, 0, 0, Nothing, 8
card.Transaction holder
Check "Transaction while detached", Hex(Err.Number), "80100003"
Err.Clear
On Error Goto 0

card.AttachByReader reader, SHARED, T0 Or T1
Check "Protocol", card.Protocol, Pick(T0, T1)
Check "Status", card.Status, 6
Check "ATR length", Length(card.Atr), Pick(12, 13)
Check "CardHandle set", CStr(card.CardHandle) <> "0", True    ' a ULONG_PTR: compared as text

Set cmd = Nothing
iso.SelectFile &H00, &H00, Bytes(Array(&H3F, &H00)), 256, cmd    ' creates cmd
Send "SELECT MF, FCI", &H9000&, 11                                  ' T=0: 61 09, GET RESPONSE
iso.SelectFile &H02, &H0C, Bytes(Array(&H00, &H01)), 0, cmd
Send "SELECT EF 0001", &H9000&, 2
iso.ReadBinary &H00, &H00, 16, cmd
Send "READ BINARY 16", &H9000&, 18
Check "SW1", cmd.ReplyStatusSW1, &H90
Check "SW2", cmd.ReplyStatusSW2, 0
iso.ReadBinary &H00, &H00, 32, cmd                                  ' the file has 16 bytes
Send "READ BINARY 32", Pick(&H9000&, &H6282&), 18                    ' T=0: 6C 10, sent again
iso.GetChallenge 8, cmd
Send "GET CHALLENGE", &H9000&, 10
iso.InternalAuthenticate 0, 1, Bytes(Array(1, 2, 3, 4, 5, 6, 7, 8)), 8, cmd
Send "INTERNAL AUTHENTICATE", &H9000&, 10
iso.GetData &H01, &H01, 4, cmd
Send "GET DATA 0101", &H9000&, 6
iso.ReadRecord 1, &H1C, 8, cmd                                      ' EF 0003 (SFI 3), record 1
Send "READ RECORD", &H9000&, 10
iso.ReadBinary &H86, &H00, 8, cmd
Send "READ BINARY EF 0006, no PIN", &H6982&, 2
iso.Verify &H01, Bytes(Array(&H30, &H30, &H30, &H30)), cmd
Send "VERIFY wrong PIN", &H63C2&, 2
iso.Verify &H01, Nothing, cmd
Send "VERIFY query", &H63C2&, 2
iso.Verify &H01, Bytes(Array(&H31, &H32, &H33, &H34)), cmd
Send "VERIFY PIN", &H9000&, 2
iso.ReadBinary &H86, &H00, 8, cmd
Send "READ BINARY EF 0006", &H9000&, 10
iso.UpdateBinary &H81, &H00, Bytes(Array(&HAA, &HBB)), cmd
Send "UPDATE BINARY", &H9000&, 2
iso.ManageChannel &H00, &H00, cmd
Send "MANAGE CHANNEL open", &H9000&, 3

' the class byte of generated commands (T=0 GET RESPONSE)
cmd.AlternateClassId = &H80
iso.SelectFile &H00, &H00, Bytes(Array(&H3F, &H00)), 256, cmd
Send "SELECT MF, alternate class", Pick(&H6E00&, &H9000&), Pick(2, 11)

' a command built by hand, and the reply held by the command
cmd.BuildCmd &H00, &H84, 0, 0, Nothing, 4
Send "BuildCmd GET CHALLENGE", &H9000&, 6
Check "LeField", cmd.LeField, 4

card.LockSCard
iso.GetChallenge 4, cmd
Send "GET CHALLENGE, locked", &H9000&, 6
card.UnlockSCard LEAVE
card.ReAttach SHARED, RESET
iso.ReadBinary &H86, &H00, 8, cmd
Send "READ BINARY EF 0006 after reset", &H6982&, 2
card.Detach LEAVE
Check "CardHandle after Detach", CStr(card.CardHandle), "0"

WScript.Echo "cardflow.vbs: " & tests & " tests executed (0 marked as todo, " & failures & " failures), 0 skipped."
If failures > 0 Then WScript.Quit 1
