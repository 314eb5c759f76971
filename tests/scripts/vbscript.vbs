' Late binding from VBScript: the card-free objects, created by ProgID and
' called the way scripts call them (variables passed by reference, optional
' arguments left out, VBScript arrays).  Bytes cannot be read back from a
' byte buffer in a script (IByteBuffer::Read takes a BYTE *, and Wine's
' VBScript cannot index a byte array), so commands are checked through the
' ISCardCmd properties: ClassId, InstructionId, P1, P2, P3, LeField,
' ApduLength, Type.
'
' Prints one line per failure and a Wine-style summary; exits with 1 when
' a check failed (not with the count, which could read as automake's 77).
' min-checks: 250 (tests/run-wine fails a run with fewer)
Option Explicit

Const NAME = "vbscript.vbs"
Dim tests, failures
tests = 0
failures = 0

Sub Check(condition, message)
    tests = tests + 1
    If Not condition Then
        failures = failures + 1
        WScript.Echo NAME & ": Test failed: " & message
    End If
End Sub

' Numbers through CLng: Wine's VBScript cannot compare a VT_UI2 (WORD) result.
Sub CheckNum(got, expected, message)
    Dim value
    value = "(" & TypeName(got) & ")"
    If IsNumeric(got) Then value = CLng(got)
    Check IsNumeric(got) And value = expected, message & ": got " & value & ", expected " & expected
End Sub

' The last call raised exactly this error (0 for none), then clears it.
Sub CheckErr(expected, message)
    Check Err.Number = expected, message & ": got error " & Err.Number & " (" & Err.Description & "), expected " & expected
    Err.Clear
End Sub

' The type name of an object; Wine's VBScript crashes in TypeName(Nothing).
Function TypeOf_(obj)
    If Not IsObject(obj) Then
        TypeOf_ = TypeName(obj)
    ElseIf obj Is Nothing Then
        TypeOf_ = "Nothing"
    Else
        TypeOf_ = TypeName(obj)
    End If
End Function

Sub CheckCmd(cmd, cla, ins, p1, p2, p3, le, length, message)
    CheckNum cmd.ClassId, cla, message & " CLA"
    CheckNum cmd.InstructionId, ins, message & " INS"
    CheckNum cmd.P1, p1, message & " P1"
    CheckNum cmd.P2, p2, message & " P2"
    CheckNum cmd.P3, p3, message & " P3"
    CheckNum cmd.LeField, le, message & " Le"
    CheckNum cmd.ApduLength, length, message & " length"
End Sub

Sub TestBuildCmd()
    Dim cmd, tc, buf, le
    On Error Resume Next
    Set cmd = CreateObject("SCardSSP.SCardCmd")
    CheckErr 0, "CreateObject SCardSSP.SCardCmd"
    Set tc = CreateObject("SCardSSP.SCardTypeConv")
    CheckErr 0, "CreateObject SCardSSP.SCardTypeConv"

    ' a new command is empty
    CheckNum cmd.ApduLength, 0, "new ApduLength"
    CheckNum cmd.Type, 1, "new Type"

    ' the optional parameters left out: case 1
    cmd.BuildCmd &H80, &HCA
    CheckErr 0, "BuildCmd &H80, &HCA"
    CheckCmd cmd, &H80, &HCA, 0, 0, 0, 0, 4, "case 1"
    CheckNum cmd.Type, 1, "case 1 Type"

    ' case 2, data left out in the middle, Le given as a literal
    cmd.BuildCmd &H00, &HB0, 1, 2, , 16
    CheckErr 0, "BuildCmd with Le"
    CheckCmd cmd, 0, &HB0, 1, 2, 16, 16, 5, "case 2"
    CheckNum cmd.Type, 2, "case 2 Type"

    ' case 3 and 4 with data from a VBScript array, Le from a variable
    Set buf = tc.ConvertSafeArrayToByteBuffer(Array(&H3F, &H00))
    CheckErr 0, "ConvertSafeArrayToByteBuffer"
    cmd.BuildCmd &H00, &HA4, 0, 0, buf
    CheckErr 0, "BuildCmd with data"
    CheckCmd cmd, 0, &HA4, 0, 0, 2, 0, 7, "case 3"
    le = 256
    cmd.BuildCmd &H00, &HA4, 4, 0, buf, le
    CheckErr 0, "BuildCmd with data and Le"
    CheckCmd cmd, 0, &HA4, 4, 0, 2, 256, 8, "case 4"
    CheckNum cmd.Type, 4, "case 4 Type"
    CheckNum le, 256, "Le variable after the call"

    ' properties: let, and Set for the object ones
    cmd.P1 = &H12
    cmd.P2 = &H34
    cmd.ClassId = &H80
    cmd.InstructionId = &HD6
    CheckErr 0, "property lets"
    CheckCmd cmd, &H80, &HD6, &H12, &H34, 2, 256, 8, "after lets"
    Set cmd.Data = tc.ConvertSafeArrayToByteBuffer(Array(1, 2, 3, 4, 5))
    CheckErr 0, "Set cmd.Data"
    CheckCmd cmd, &H80, &HD6, &H12, &H34, 5, 256, 11, "after Set Data"

    ' the reply and its status word
    Set cmd.ApduReply = tc.ConvertSafeArrayToByteBuffer(Array(&HAA, &H90, &H00))
    CheckErr 0, "Set cmd.ApduReply"
    CheckNum cmd.ApduReplyLength, 3, "ApduReplyLength"
    CheckNum cmd.ReplyStatus, &H9000&, "ReplyStatus"
    CheckNum cmd.ReplyStatusSW1, &H90, "SW1"
    CheckNum cmd.ReplyStatusSW2, 0, "SW2"

    ' errors reach the script
    le = cmd.AlternateClassId
    CheckErr 70, "AlternateClassId before it is set (E_ACCESSDENIED)"
    cmd.AlternateClassId = &HC0
    CheckNum cmd.AlternateClassId, &HC0, "AlternateClassId"
    cmd.P1 = 256
    CheckErr 6, "P1 = 256 (overflow)"
    cmd.BuildCmd &H00, &HA4, 0, 0, buf, 70000
    CheckErr 5, "BuildCmd with Le 70000 (E_INVALIDARG)"
    cmd.BuildCmd &H00, &HA4, 0, 0, cmd
    CheckErr 13, "BuildCmd with a command as data"
    cmd.BuildCmd &H00
    CheckErr 450, "BuildCmd with one argument"

    cmd.Clear
    CheckErr 0, "Clear"
    CheckNum cmd.ApduLength, 0, "ApduLength after Clear"
    CheckNum cmd.ApduReplyLength, 0, "ApduReplyLength after Clear"
End Sub

Sub TestBuilders()
    Dim iso, tc, buf, cmd, cmd2, count
    On Error Resume Next
    Set iso = CreateObject("SCardSSP.SCardISO7816")
    CheckErr 0, "CreateObject SCardSSP.SCardISO7816"
    Set tc = CreateObject("SCardSSP.SCardTypeConv")
    Set buf = tc.ConvertSafeArrayToByteBuffer(Array(&H3F, &H00))

    ' Nothing: the builder creates the command and the variable gets it
    Set cmd = Nothing
    iso.SelectFile &H00, &H0C, buf, 0, cmd
    CheckErr 0, "SelectFile into Nothing"
    Check TypeOf_(cmd) = "ISCardCmd", "SelectFile gave a " & TypeOf_(cmd)
    CheckCmd cmd, 0, &HA4, 0, &H0C, 2, 0, 7, "SelectFile"

    ' an existing command is filled in, and stays the same object
    Set cmd2 = cmd
    iso.GetChallenge 8, cmd
    CheckErr 0, "GetChallenge into an existing command"
    Check cmd Is cmd2, "GetChallenge replaced the command"
    CheckCmd cmd2, 0, &H84, 0, 0, 8, 8, 5, "GetChallenge"

    ' an Empty variable (Dim) gets a command too; the default of a left-out count
    Dim fresh
    iso.GetChallenge , fresh
    CheckErr 0, "GetChallenge into Empty"
    Check IsObject(fresh), "GetChallenge left an Empty variable"
    CheckCmd fresh, 0, &H84, 0, 0, 8, 8, 5, "GetChallenge default"

    ' by value, "(cmd)": filled in all the same
    iso.ReadBinary &H81, &H10, 4, (cmd)
    CheckErr 0, "ReadBinary (cmd)"
    CheckCmd cmd, 0, &HB0, &H81, &H10, 4, 4, 5, "ReadBinary"

    ' the class byte of later commands
    iso.SetDefaultClassId &H80
    CheckErr 0, "SetDefaultClassId"
    iso.GetData &H01, &H02, 16, cmd
    CheckCmd cmd, &H80, &HCA, 1, 2, 16, 16, 5, "GetData"
    iso.GetResponse , , 32, cmd
    CheckCmd cmd, &H80, &HC0, 0, 0, 32, 32, 5, "GetResponse"
    iso.ReadRecord 1, 4, 0, cmd
    CheckCmd cmd, &H80, &HB2, 1, 4, 0, 256, 5, "ReadRecord"
    iso.UpdateBinary 0, 0, buf, cmd
    CheckCmd cmd, &H80, &HD6, 0, 0, 2, 0, 7, "UpdateBinary"
    iso.WriteBinary 0, 1, buf, cmd
    CheckCmd cmd, &H80, &HD0, 0, 1, 2, 0, 7, "WriteBinary"
    iso.EraseBinary 0, 2, , cmd
    CheckCmd cmd, &H80, &H0E, 0, 2, 0, 0, 4, "EraseBinary"
    iso.AppendRecord 8, buf, cmd
    CheckCmd cmd, &H80, &HE2, 0, 8, 2, 0, 7, "AppendRecord"
    iso.UpdateRecord 3, 4, buf, cmd
    CheckCmd cmd, &H80, &HDC, 3, 4, 2, 0, 7, "UpdateRecord"
    iso.WriteRecord 3, 4, buf, cmd
    CheckCmd cmd, &H80, &HD2, 3, 4, 2, 0, 7, "WriteRecord"
    iso.PutData 1, 2, buf, cmd
    CheckCmd cmd, &H80, &HDA, 1, 2, 2, 0, 7, "PutData"
    iso.Verify &H81, buf, cmd
    CheckCmd cmd, &H80, &H20, 0, &H81, 2, 0, 7, "Verify"
    iso.Verify &H81, , cmd
    CheckCmd cmd, &H80, &H20, 0, &H81, 0, 0, 4, "Verify without data"
    iso.ExternalAuthenticate 1, 2, buf, cmd
    CheckCmd cmd, &H80, &H82, 1, 2, 2, 0, 7, "ExternalAuthenticate"
    iso.InternalAuthenticate 1, 2, buf, 8, cmd
    CheckCmd cmd, &H80, &H88, 1, 2, 2, 8, 8, "InternalAuthenticate"
    iso.ManageChannel &H80, 1, cmd
    CheckCmd cmd, &H80, &H70, &H80, 1, 0, 0, 4, "ManageChannel"
    CheckErr 0, "the builders"

    ' what a script can get wrong
    iso.GetChallenge 8, buf
    CheckErr 13, "GetChallenge into a byte buffer"
    count = 5
    iso.GetChallenge 8, count
    CheckErr 13, "GetChallenge into a number"
    CheckNum count, 5, "the number after the failed call"
    iso.GetChallenge 8
    CheckErr 450, "GetChallenge without a command"
    iso.GetChallenge 8, cmd, 1
    CheckErr 450, "GetChallenge with an argument too many"
    iso.UpdateBinary 0, 0, Nothing, cmd
    CheckErr &H80004003, "UpdateBinary without data (E_POINTER)"
End Sub

Sub TestByteBuffer()
    Dim buf, tc, pos, clone
    On Error Resume Next
    Set buf = CreateObject("SCardSSP.ByteBuffer")
    CheckErr 0, "CreateObject SCardSSP.ByteBuffer"
    buf.Initialize 4
    CheckErr 0, "Initialize 4"
    buf.Seek 0, 2, pos
    CheckErr 0, "Seek to the end"
    CheckNum pos, 4, "size after Initialize 4"
    buf.SetSize 9
    buf.Seek 3, 0, pos
    CheckNum pos, 3, "position after Seek 3"
    Set clone = Nothing
    buf.Clone clone
    CheckErr 0, "Clone"
    Check TypeOf_(clone) = "IByteBuffer", "Clone gave a " & TypeOf_(clone)
    clone.Seek 0, 1, pos
    CheckNum pos, 3, "position of the clone"
    clone.Seek 0, 2, pos
    CheckNum pos, 9, "size seen through the clone"
    ' a script value is no byte array: refused, not overrun
    pos = 0
    buf.Read pos, 100
    CheckErr 13, "Read into a number"
    buf.Initialize 4, 7
    CheckErr 13, "Initialize with a number as data"

    Set tc = CreateObject("SCardSSP.SCardTypeConv")
    Set buf = tc.CreateByteBuffer(6)
    CheckErr 0, "CreateByteBuffer"
    buf.Seek 0, 2, pos
    CheckNum pos, 6, "size of CreateByteBuffer(6)"
    Set buf = tc.ConvertSafeArrayToByteBuffer(Array(1, 256))
    CheckErr 13, "an array element above 255"
End Sub

Sub TestCreation()
    Dim stems, i, obj, types
    On Error Resume Next
    stems = Array("ByteBuffer", "SCardTypeConv", "SCardCmd", "SCardISO7816", "SCard", "SCardDatabase", "SCardLocate")
    types = Array("IByteBuffer", "ISCardTypeConv", "ISCardCmd", "ISCardISO7816", "ISCard", "ISCardDatabase", "ISCardLocate")
    For i = 0 To UBound(stems)
        Set obj = CreateObject("SCardSSP." & stems(i))
        CheckErr 0, "CreateObject SCardSSP." & stems(i)
        Check TypeOf_(obj) = types(i), "SCardSSP." & stems(i) & " is a " & TypeOf_(obj)
        Set obj = CreateObject("SCardSSP." & stems(i) & ".1")
        CheckErr 0, "CreateObject SCardSSP." & stems(i) & ".1"
        Check TypeOf_(obj) = types(i), "SCardSSP." & stems(i) & ".1 is a " & TypeOf_(obj)
        Set obj = Nothing
    Next
    Set obj = CreateObject("SCardSSP.NoSuchClass")
    CheckErr 429, "CreateObject of an unknown ProgID"
End Sub

TestCreation
TestBuildCmd
TestBuilders
TestByteBuffer

WScript.Echo "vbscript: " & tests & " tests executed (0 marked as todo, " & failures & " failures), 0 skipped."
If failures > 0 Then WScript.Quit 1
WScript.Quit 0
