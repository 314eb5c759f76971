' A legacy-style Smart Card Service Provider client: builds ISO 7816-4
' APDUs with the SCardSSP objects through late binding, as VBScript
' programs written for Windows XP did, and prints them.
Option Explicit

Dim iso, cmd, conv

Function Hex2(b)
    Hex2 = Right("0" & Hex(b), 2)
End Function

' The command's APDU as hex, read through ISCardTypeConv.
Function ApduHex(c)
    Dim bytes, i, s
    bytes = conv.ConvertByteBufferToSafeArray(c.Apdu)
    For i = LBound(bytes) To UBound(bytes)
        s = s & Hex2(bytes(i)) & " "
    Next
    ApduHex = Trim(s)
End Function

Set iso = CreateObject("SCardSSP.SCardISO7816")
Set conv = CreateObject("SCardSSP.SCardTypeConv")

Set cmd = Nothing
iso.GetChallenge 8, cmd
WScript.Echo "GET CHALLENGE       " & ApduHex(cmd)

iso.ReadBinary &H00, &H10, 32, cmd
WScript.Echo "READ BINARY         " & ApduHex(cmd)

iso.ReadRecord 1, &H04, 0, cmd
WScript.Echo "READ RECORD         " & ApduHex(cmd)

iso.SetDefaultClassId &H80
iso.GetData &H01, &H02, 4, cmd
WScript.Echo "GET DATA (CLA 80)   " & ApduHex(cmd)

cmd.BuildCmd &H00, &HA4, &H04, &H00
WScript.Echo "BuildCmd SELECT     " & ApduHex(cmd) & "  (case " & cmd.Type & ", P3 " & cmd.P3 & ")"
