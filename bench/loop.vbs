' ISCard.Transaction from VBScript (a benchmark): loop.vbs READER N
' prints the mean microseconds per APDU.
Option Explicit
Dim card, cmd, i, n, start
n = CLng(WScript.Arguments(1))
Set card = CreateObject("SCardSSP.SCard")
Set cmd = CreateObject("SCardSSP.SCardCmd")
card.AttachByReader WScript.Arguments(0), 2, 3
cmd.BuildCmd &H00, &H84, 0, 0, Nothing, 8
For i = 1 To n \ 10 + 1
    card.Transaction cmd
Next
start = Timer
For i = 1 To n
    card.Transaction cmd
Next
WScript.Echo FormatNumber((Timer - start) * 1000000 / n, 3, -1, 0, 0)
card.Detach 0
