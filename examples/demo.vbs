' A legacy-style Smart Card Service Provider client, written the way
' Windows XP-era VBScript programs used SCardSSP: late-bound objects by
' ProgID, AttachByReader, the ISO 7816-4 builders and Transaction.
'   cscript //nologo demo.vbs "READER NAME"
' It talks to the project's virtual card (vcard/README.md) and checks
' the status words it gets; the exit code is the number of surprises.
Option Explicit

Const SHARED = 2, T0 = 1, T1 = 2, LEAVE = 0, RESET = 1
Dim card, iso, conv, cmd, failures

Function Hex4(w)
    Hex4 = Right("000" & Hex(w), 4)
End Function

' Sends the command and reports the status word and reply length.
Sub Send(title, expected)
    Dim status
    card.Transaction cmd
    status = CLng(cmd.ReplyStatus)    ' a WORD: Wine's VBScript compares it only as a Long
    WScript.Echo Left(title & Space(34), 34) & Hex4(status) & ", " & _
        cmd.ApduReplyLength & " reply bytes (SW1 SW2 included)"
    If status <> expected Then
        WScript.Echo "  expected " & Hex4(expected)
        failures = failures + 1
    End If
End Sub

' Byte counts: a script cannot index byte arrays, but ISCardCmd measures a buffer.
Function Length(buffer)
    Dim holder
    Set holder = CreateObject("SCardSSP.SCardCmd")
    holder.ApduReply = buffer
    Length = holder.ApduReplyLength
End Function

Function Bytes(list)
    Set Bytes = conv.ConvertSafeArrayToByteBuffer(list)
End Function

failures = 0
Set card = CreateObject("SCardSSP.SCard")
Set iso = CreateObject("SCardSSP.SCardISO7816")
Set conv = CreateObject("SCardSSP.SCardTypeConv")

card.AttachByReader WScript.Arguments(0), SHARED, T0 Or T1
WScript.Echo "Reader    " & WScript.Arguments(0)
WScript.Echo "Protocol  T=" & (card.Protocol - 1) & ", state " & card.Status & " (6 = specific mode)"
WScript.Echo "ATR       " & Length(card.Atr) & " bytes"

Set cmd = Nothing
iso.SelectFile &H00, &H00, Bytes(Array(&H3F, &H00)), 0, cmd
Send "SELECT MF, FCI", &H9000&
iso.SelectFile &H02, &H0C, Bytes(Array(&H00, &H01)), 0, cmd
Send "SELECT EF 0001", &H9000&
iso.ReadBinary &H00, &H00, 16, cmd
Send "READ BINARY 16 bytes", &H9000&
iso.GetChallenge 8, cmd
Send "GET CHALLENGE 8 bytes", &H9000&
iso.ReadBinary &H86, &H00, 8, cmd
Send "READ BINARY EF 0006 (no PIN)", &H6982&
iso.Verify &H01, Bytes(Array(&H31, &H32, &H33, &H34)), cmd
Send "VERIFY PIN 1234", &H9000&
card.LockSCard
iso.ReadBinary &H86, &H00, 8, cmd
Send "READ BINARY EF 0006 (locked)", &H9000&
card.UnlockSCard LEAVE
card.Detach RESET    ' the next client finds the PIN unverified again

If failures = 0 Then WScript.Echo "demo: all status words as expected"
WScript.Quit failures
