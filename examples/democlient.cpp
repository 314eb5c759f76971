// A compiled client of the Smart Card Service Provider, written the way an
// XP-era C++ program was: the Platform SDK's scardssp.h and sspguid.h
// (here mingw-w64's copies), CoCreateInstance by CLSID, the ISCardISO7816
// builders, ISCard::Transaction, LockSCard.  It prints a transcript: each
// step, the command APDU and the reply in hex, and what the status word
// means.  It talks to the project's virtual card (vcard/README.md).
//   democlient.exe "READER NAME"
// The exit code is the number of status words that were not as expected.

#include <stdio.h>
#include <windows.h>
#include <ole2.h>
#include <scardssp.h>
#include <sspguid.h>

static ISCardTypeConv *conv;
static ISCard *card;
static ISCardCmd *cmd;
static int failures;

// What ISO 7816-4 says a status word means (the ones this card gives).
static const char *meaning(WORD sw)
{
    switch (sw)
    {
    case 0x9000: return "success";
    case 0x6282: return "end of file reached before Le bytes";
    case 0x6700: return "wrong length";
    case 0x6982: return "security status not satisfied (PIN needed)";
    case 0x6983: return "authentication method blocked";
    case 0x6A82: return "file not found";
    case 0x6A86: return "incorrect P1 P2";
    case 0x6B00: return "wrong parameters P1 P2";
    case 0x6D00: return "instruction not supported";
    case 0x6E00: return "class not supported";
    }
    if ((sw & 0xFFF0) == 0x63C0) return "wrong PIN, (SW2 & 0F) tries left";
    if ((sw & 0xFF00) == 0x6100) return "more data waiting (GET RESPONSE)";
    if ((sw & 0xFF00) == 0x6C00) return "wrong Le, SW2 is the right one";
    return "see ISO 7816-4";
}

static void check(HRESULT hr, const char *what)
{
    if (SUCCEEDED(hr)) return;
    printf("%s failed: 0x%08lx\n", what, (unsigned long)hr);
    ExitProcess(100);
}

// Prints "PREFIX XX XX ..." for the LENGTH bytes of BUFFER.
static void dump(const char *prefix, IByteBuffer *buffer, LONG length)
{
    BYTE bytes[300];
    LONG got = 0, i;

    if (length > (LONG)sizeof(bytes)) length = sizeof(bytes);
    check(buffer->Seek(0, STREAM_SEEK_SET, NULL), "IByteBuffer::Seek");
    check(buffer->Read(bytes, length, &got), "IByteBuffer::Read");
    printf("        %s", prefix);
    for (i = 0; i < got; i++) printf(" %02X", bytes[i]);
    printf("\n");
}

static IByteBuffer *bytes(const BYTE *data, DWORD size)
{
    IByteBuffer *buffer = NULL;
    check(conv->ConvertByteArrayToByteBuffer((BYTE *)data, size, &buffer), "ConvertByteArrayToByteBuffer");
    return buffer;
}

// Sends the command the builder left in cmd, shows both APDUs and the status word.
static void send(const char *title, WORD expected)
{
    IByteBuffer *apdu = NULL, *reply = NULL;
    LONG apdu_length = 0, reply_length = 0;
    WORD sw = 0;

    printf("%s\n", title);
    check(cmd->get_Apdu(&apdu), "ISCardCmd::get_Apdu");
    check(cmd->get_ApduLength(&apdu_length), "ISCardCmd::get_ApduLength");
    dump("command >", apdu, apdu_length);
    apdu->Release();
    check(card->Transaction(&cmd), "ISCard::Transaction");
    check(cmd->get_ApduReply(&reply), "ISCardCmd::get_ApduReply");
    check(cmd->get_ApduReplyLength(&reply_length), "ISCardCmd::get_ApduReplyLength");
    dump("reply   <", reply, reply_length);
    reply->Release();
    check(cmd->get_ReplyStatus(&sw), "ISCardCmd::get_ReplyStatus");
    printf("        SW %04X: %s\n", sw, meaning(sw));
    if (sw != expected)
    {
        printf("        expected %04X: %s\n", expected, meaning(expected));
        failures++;
    }
}

int main(int argc, char **argv)
{
    static const BYTE mf[] = {0x3F, 0x00}, ef[] = {0x00, 0x01}, pin[] = {'1', '2', '3', '4'};
    ISCardISO7816 *iso = NULL;
    IByteBuffer *atr = NULL, *data;
    SCARD_PROTOCOLS protocol;
    SCARD_STATES state;
    STATSTRUCT stat;
    WCHAR reader[256];
    LONG atr_length;
    BSTR name;

    if (argc != 2)
    {
        printf("usage: democlient \"READER NAME\"\n");
        return 100;
    }
    MultiByteToWideChar(CP_ACP, 0, argv[1], -1, reader, 256);
    printf("democlient, %d-bit: CoCreateInstance of CSCard, CSCardISO7816, CSCardTypeConv, CSCardCmd\n",
           (int)sizeof(void *) * 8);
    check(CoInitialize(NULL), "CoInitialize");
    check(CoCreateInstance(CLSID_CSCard, NULL, CLSCTX_INPROC_SERVER, IID_ISCard, (void **)&card), "CoCreateInstance(CSCard)");
    check(CoCreateInstance(CLSID_CSCardISO7816, NULL, CLSCTX_INPROC_SERVER, IID_ISCardISO7816, (void **)&iso),
          "CoCreateInstance(CSCardISO7816)");
    check(CoCreateInstance(CLSID_CSCardTypeConv, NULL, CLSCTX_INPROC_SERVER, IID_ISCardTypeConv, (void **)&conv),
          "CoCreateInstance(CSCardTypeConv)");
    check(CoCreateInstance(CLSID_CSCardCmd, NULL, CLSCTX_INPROC_SERVER, IID_ISCardCmd, (void **)&cmd),
          "CoCreateInstance(CSCardCmd)");

    printf("AttachByReader \"%s\", SHARED, T0|T1\n", argv[1]);
    name = SysAllocString(reader);
    check(card->AttachByReader(name, SHARED, (SCARD_PROTOCOLS)(T0 | T1)), "ISCard::AttachByReader");
    SysFreeString(name);
    check(card->get_Protocol(&protocol), "ISCard::get_Protocol");
    check(card->get_Status(&state), "ISCard::get_Status");
    printf("        protocol T=%d, state %d%s\n", protocol == T1 ? 1 : 0, state, state == SPECIFICMODE ? " (specific: ready for APDUs)" : "");
    check(card->get_Atr(&atr), "ISCard::get_Atr");
    check(atr->Stat(&stat, STATFLAG_NONAME), "IByteBuffer::Stat");
    atr_length = stat.cbSize;
    dump("ATR      ", atr, atr_length);
    atr->Release();

    data = bytes(mf, sizeof(mf));
    check(iso->SelectFile(0x00, 0x00, data, 0, &cmd), "ISCardISO7816::SelectFile");
    data->Release();
    send("SELECT the master file 3F00, returning its FCI", 0x9000);

    data = bytes(ef, sizeof(ef));
    check(iso->SelectFile(0x02, 0x0C, data, 0, &cmd), "ISCardISO7816::SelectFile");
    data->Release();
    send("SELECT the elementary file 0001 under it", 0x9000);

    check(iso->ReadBinary(0x00, 0x00, 16, &cmd), "ISCardISO7816::ReadBinary");
    send("READ BINARY, 16 bytes from offset 0", 0x9000);

    check(iso->GetChallenge(8, &cmd), "ISCardISO7816::GetChallenge");
    send("GET CHALLENGE, 8 random bytes", 0x9000);

    check(iso->ReadBinary(0x86, 0x00, 8, &cmd), "ISCardISO7816::ReadBinary");
    send("READ BINARY of EF 0006 (short file id 6), PIN-protected: refused", 0x6982);

    data = bytes(pin, sizeof(pin));
    check(iso->Verify(0x01, data, &cmd), "ISCardISO7816::Verify");
    data->Release();
    send("VERIFY PIN 1 = \"1234\"", 0x9000);

    printf("LockSCard: a transaction, no other program gets the card\n");
    check(card->LockSCard(), "ISCard::LockSCard");
    check(iso->ReadBinary(0x86, 0x00, 8, &cmd), "ISCardISO7816::ReadBinary");
    send("READ BINARY of EF 0006, now that the PIN is verified", 0x9000);
    printf("UnlockSCard, Detach with RESET (the next client finds the PIN unverified)\n");
    check(card->UnlockSCard(LEAVE), "ISCard::UnlockSCard");
    check(card->Detach(RESET), "ISCard::Detach");

    cmd->Release();
    conv->Release();
    iso->Release();
    card->Release();
    CoUninitialize();
    if (!failures) printf("democlient: all status words as expected\n");
    return failures;
}
